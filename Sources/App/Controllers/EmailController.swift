import Fluent
import MeiduoTokens
import SQLKit
import Vapor

/// Setting the address (`PUT /email/`) and verifying it (`GET /emails/verification/`).
struct EmailController: RouteCollection {
    let services: AppServices

    static let missingToken = "缺少token"
    static let invalidToken = "无效token"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SessionAuthenticator())
        signedIn.put("email", use: change)
        signedIn.patch("email", use: change)
        routes.get("emails", "verification", use: verify)
    }

    /// Stores the address as unverified and queues the verification mail, both or neither; when a verified
    /// address is replaced by another, a notice to the old one is queued with them (`AddressChange`).
    /// A second change within `VERIFY_EMAIL_RESEND_INTERVAL` is refused with 429 and `Retry-After`.
    func change(request: Request) async throws -> EmailChangeResponse {
        let input = try EmailChangeRequest(form: FormFields.decode(from: request))
        let session = try request.auth.require(SessionToken.self)
        let userID = session.userID
        let change = AddressChange(write: AddressChangeWrite(
            userID: userID, email: input.email, now: services.clock(),
            resendInterval: services.settings.verifyEmailResendInterval, jobs: services.jobQueue, recipients: services.recipientLimit))
        switch try await change.apply(in: AddressStores.store(on: request.db, accounts: services.accounts)) {
        case .changed: break
        case .throttled(let seconds): throw APIError.throttled(seconds: seconds)
        case .recipientThrottled(let seconds):
            throw APIError(status: .tooManyRequests, body: .detail("该邮箱地址最近已收到过验证邮件，请 \(seconds) 秒后再试。"),
                           headers: ["Retry-After": String(seconds)])
        case .noSuchUser: throw SessionAuthenticator.userNotFound
        case .contended: throw APIError.detail("该账户正被其他请求同时修改，请稍后重试。", status: .conflict)
        }
        services.jobQueue.wakeUp.signal()
        services.metrics.funnel("queued")
        return EmailChangeResponse(id: userID, email: input.email)
    }

    /// The seed's view: 400 `缺少token`, 400 `无效token`, or 200 `OK` once the token's user still has the token's address.
    func verify(request: Request) async throws -> MessageResponse {
        guard let token = QueryString.value(of: "token", in: request.url.query), !token.isEmpty else {
            throw APIError.message(Self.missingToken)
        }
        let claims: EmailVerificationClaims
        do { claims = try services.emailVerifier.claims(in: token) } catch {
            request.logger.info("verification token refused: \(error)")
            throw APIError.message(Self.invalidToken)
        }
        switch try await AddressStores.store(on: request.db, accounts: services.accounts).activate(userID: claims.userID, email: claims.email,
                                                                     at: services.clock()) {
        case .activated: services.metrics.funnel("verified")
        case .alreadyActive: break
        case .addressReplaced: throw APIError.message(Self.invalidToken)
        }
        return MessageResponse(message: "OK")
    }
}
