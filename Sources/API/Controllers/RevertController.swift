import Foundation
import Hummingbird
import MeiduoTokens
import SQLKit
import Verification

/// "This was not me", from the notice mailed to the last verified address: the page reads the link's state without
/// changing anything (`GET /emails/revert/status/`) and its button puts the old address back, verified, ends every
/// session and, with `new_password`, sets the account's password (`POST /emails/revert/`).
struct RevertController {
    static let usedMessage = "此链接已使用过。"
    static let expiredMessage = "此链接已过期：请登录后修改邮箱，或联系客服找回账号。"
    static let movedOnMessage = "该账户已不存在。"

    let database: RequestDatabase
    let links: RevertLinks
    let reverts: AddressRevert
    let passwords: any PasswordScheme
    let metrics: ServiceMetrics
    let clock: @Sendable () -> Date

    func addRoutes(to routes: RouteTable) {
        routes.on(.get, "emails/revert/status", use: status)
        routes.on(.post, "emails/revert", use: revert)
    }

    /// The old address, the new one masked, and whether the link can still put it back. Changes nothing.
    @Sendable func status(request: Request, context: APIRequestContext) async throws -> RevertStatusResponse {
        let token = try EmailController.token(QueryString.value(of: "token", in: request.uri.query))
        let claims = try self.claims(in: token, context: context)
        let used = try await reverts.isUsed(token: token, on: database(context))
        return RevertStatusResponse(oldEmail: claims.oldEmail, maskedNewEmail: claims.newEmailMasked,
                                    state: used ? "used" : "pending")
    }

    @Sendable func revert(request: Request, context: APIRequestContext) async throws -> ConfirmationResponse {
        var errors = FieldErrors()
        let form = try await FormFields.decode(from: request, context: context)
        let newPassword = form.text("new_password", required: false, trim: false, into: &errors).flatMap { $0.isEmpty ? nil : $0 }
        if let newPassword, let problem = RegistrationRequest.passwordProblem(newPassword, maximumPasswordBytes: passwords.maximumPasswordBytes) {
            throw APIError.fields([("new_password", [problem])])
        }
        let token = try EmailController.token(form.text("token", into: &errors))
        let claims = try self.claims(in: token, context: context)
        let hash = if let newPassword { try await passwords.hashOffLoop(newPassword) } else { String?.none }
        switch try await reverts.attempt(token: token, claims: claims, newPasswordHash: hash, at: clock(), on: database(context)) {
        case .reverted:
            metrics.revert()
            context.logger.notice("replaced address put back by its owner's link; the account's sessions ended",
                                  metadata: ["user_id": "\(claims.userID)", "new_password": "\(hash != nil)"])
            return ConfirmationResponse(state: "reverted")
        case .alreadyUsed: throw APIError.message(Self.usedMessage, code: "already_used")
        case .addressChanged: throw APIError.message(Self.movedOnMessage, code: "address_changed")
        }
    }

    private func claims(in token: String, context: APIRequestContext) throws -> RevertClaims {
        do { return try links.claims(in: token) } catch {
            context.logger.info("revert token refused: \(error)")
            throw error == .expired ? APIError.message(Self.expiredMessage, code: "expired")
                                    : APIError.message(EmailController.invalidToken, code: "invalid")
        }
    }
}
