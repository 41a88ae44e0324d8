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
        let userID = try request.auth.require(SignedInUser.self).id
        let app = request.application
        // Through SQLKit rather than Fluent models: see `SignedInUser.find`.
        let noticeQueued = try await request.db.writeTransaction { transaction in
            let database = transaction as! any SQLDatabase
            guard let user = try await database.select()
                .columns("email", "email_active", "verification_queued_at").from(User.schema)
                .where("id", .equal, userID)
                .first(decoding: AddressState.self)
            else { throw SessionAuthenticator.invalidToken }
            let now = app.now()
            if let last = user.verificationQueuedAt {
                let wait = Double(app.settings.verifyEmailResendInterval) - now.timeIntervalSince(last)
                if wait > 0 { throw APIError.throttled(seconds: Int(wait.rounded(.up))) }
            }
            let replacedVerified = user.emailActive && user.email.lowercased() != input.email.lowercased() ? user.email : nil
            try await database.update(User.schema)
                .set("email", to: input.email).set("email_active", to: false)
                .set("verification_queued_at", to: now).set("updated_at", to: now)
                .where("id", .equal, userID)
                .run()
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
        switch try await activate(userID: claims.userID, email: claims.email, on: request.db) {
        case .activated: request.application.metrics.funnel("verified")
        case .alreadyActive: break
        case .addressReplaced: throw APIError.message(Self.invalidToken)
        }
        return MessageResponse(message: "OK")
    }

    /// What a change needs to know of the account before it.
    private struct AddressState: Decodable {
        var email: String
        var emailActive: Bool
        var verificationQueuedAt: Date?

        enum CodingKeys: String, CodingKey {
            case email
            case emailActive = "email_active"
            case verificationQueuedAt = "verification_queued_at"
        }
    }

    private enum Activation {
        case activated, alreadyActive, addressReplaced
    }

    /// Marks the address active when the user still has it. Conditional on the address, so a token for an address
    /// the user has since replaced activates nothing; a repeated click only reads, so it takes no write lock.
    private func activate(userID: Int64, email: String, on database: any Database) async throws -> Activation {
        // Plain SQL: a Fluent model query spends more on reflecting the model than on the database, and SQLKit's
        // query builder more on serializing than this statement's text.
        let current = {
            try await (database as! any SQLDatabase)
                .raw("SELECT email_active FROM users WHERE id = \(bind: userID) AND email = \(bind: email)")
                .first(decodingColumn: "email_active", as: Bool.self)
        }
        guard let active = try await current() else { return .addressReplaced }
        if active { return .alreadyActive }
        try await User.query(on: database)
            .filter(\.$id == userID).filter(\.$email == email).filter(\.$emailActive == false)
            .set(\.$emailActive, to: true)
            .update()
        // Read again: between the first read and the update another request may have replaced the address.
        return try await current() == true ? .activated : .addressReplaced
    }
}
