import Fluent
import SignedToken
import SQLKit
import Vapor

/// Setting the address (`PUT /email/`) and verifying it (`GET /emails/verification/`).
struct EmailController: RouteCollection {
    static let missingToken = "缺少token"
    static let invalidToken = "无效token"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SessionAuthenticator())
        signedIn.put("email", use: change)
        signedIn.patch("email", use: change)
        routes.get("emails", "verification", use: verify)
    }

    /// Stores the address as unverified and queues the verification mail, in one transaction: both happen or
    /// neither does. When a verified address is replaced by another, a notice to the old one is queued with them.
    /// A second change within `VERIFY_EMAIL_RESEND_INTERVAL` is refused with 429 and `Retry-After`.
    func change(request: Request) async throws -> EmailChangeResponse {
        let input = try EmailChangeRequest(form: FormFields.decode(from: request))
        let userID = try request.auth.require(SessionToken.self).userID
        let app = request.application
        let noticeQueued = try await request.db.writeTransaction { transaction in
            let database = transaction as! any SQLDatabase
            let previous: AccountAddress.Previous
            switch try await AccountAddress.replace(userID: userID, with: input.email, at: app.now(),
                                                    resendInterval: app.settings.verifyEmailResendInterval, on: database) {
            case .replaced(let before): previous = before
            case .throttled(let seconds): throw APIError.throttled(seconds: seconds)
            case .noSuchUser: throw SessionAuthenticator.userNotFound
            }
            let replacedVerified = previous.emailActive && previous.email.lowercased() != input.email.lowercased()
                ? previous.email : nil
            try await app.jobQueue.enqueue(SendVerifyEmailJob.self, .init(userID: userID, email: input.email),
                                           on: database, uniqueKey: "verify-email:\(userID)")
            if let replacedVerified {
                try await app.jobQueue.enqueue(SendEmailChangedNoticeJob.self,
                                               .init(userID: userID, oldEmail: replacedVerified, newEmail: input.email), on: database)
            }
            return replacedVerified != nil
        }
        app.jobQueue.wakeUp.signal()
        app.metrics.jobEnqueued(kind: SendVerifyEmailJob.kind)
        if noticeQueued { app.metrics.jobEnqueued(kind: SendEmailChangedNoticeJob.kind) }
        app.metrics.funnel("queued")
        return EmailChangeResponse(id: userID, email: input.email)
    }

    /// The seed's view: 400 `缺少token`, 400 `无效token`, or 200 `OK` once the token's user still has the token's address.
    func verify(request: Request) async throws -> MessageResponse {
        guard let token = QueryString.value(of: "token", in: request.url.query), !token.isEmpty else {
            throw APIError.message(Self.missingToken)
        }
        let claims: EmailVerificationClaims
        do { claims = try request.application.emailVerifier.claims(in: token) } catch {
            request.logger.info("verification token refused: \(error)")
            throw APIError.message(Self.invalidToken)
        }
        switch try await AccountAddress.activate(userID: claims.userID, email: claims.email,
                                                 at: request.application.now(), on: request.db as! any SQLDatabase) {
        case .activated: request.application.metrics.funnel("verified")
        case .alreadyActive: break
        case .addressReplaced: throw APIError.message(Self.invalidToken)
        }
        return MessageResponse(message: "OK")
    }
}
