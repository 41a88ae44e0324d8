import Fluent
import MeiduoTokens
import SQLKit
import Vapor
import Verification

/// "This was not me", from the notice mailed to a replaced verified address: the page reads the link's state without
/// changing anything (`GET /emails/revert/status/`) and its button puts the old address back, verified
/// (`POST /emails/revert/`).
struct RevertController: RouteCollection {
    static let usedMessage = "此链接已使用过。"
    static let expiredMessage = "此链接已过期：请登录后修改邮箱，或联系客服找回账号。"
    static let movedOnMessage = "账户邮箱已不是通知中的新邮箱，无需恢复；如账号异常请联系客服。"

    let links: RevertLinks
    let reverts: AddressRevert
    let metrics: ServiceMetrics
    let clock: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.get("emails", "revert", "status", use: status)
        routes.post("emails", "revert", use: revert)
    }

    /// The old address, the new one masked, and whether the link can still put it back. Changes nothing.
    func status(request: Request) async throws -> RevertStatusResponse {
        let token = try EmailController.token(QueryString.value(of: "token", in: request.url.query))
        let claims = try self.claims(in: token, request: request)
        let used = try await reverts.isUsed(token: token, on: request.db.sql)
        return RevertStatusResponse(oldEmail: claims.oldEmail, maskedNewEmail: claims.newEmailMasked,
                                    state: used ? "used" : "pending")
    }

    func revert(request: Request) async throws -> ConfirmationResponse {
        var errors = FieldErrors()
        let token = try EmailController.token(try FormFields.decode(from: request).text("token", into: &errors))
        let claims = try self.claims(in: token, request: request)
        switch try await reverts.attempt(token: token, claims: claims, digest: links.digest(of:), at: clock(), on: request.db.sql) {
        case .reverted:
            metrics.revert()
            request.logger.notice("replaced address put back by its owner's link", metadata: ["user_id": "\(claims.userID)"])
            return ConfirmationResponse(state: "reverted")
        case .alreadyUsed: throw APIError.message(Self.usedMessage, code: "already_used")
        case .addressChanged: throw APIError.message(Self.movedOnMessage, code: "address_changed")
        }
    }

    private func claims(in token: String, request: Request) throws -> RevertClaims {
        do { return try links.claims(in: token) } catch {
            request.logger.info("revert token refused: \(error)")
            throw error == .expired ? APIError.message(Self.expiredMessage, code: "expired")
                                    : APIError.message(EmailController.invalidToken, code: "invalid")
        }
    }
}
