import Fluent
import SignedToken
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

    /// Stores the address as unverified and builds its verification link.
    func change(request: Request) async throws -> EmailChangeResponse {
        let input = try EmailChangeRequest(form: FormFields.decode(from: request))
        let user = try request.auth.require(User.self)
        let userID = try user.requireID()
        user.email = input.email
        user.emailActive = false
        try await user.save(on: request.db)
        let link = request.application.emailVerifier.link(userID: userID, email: input.email)
        if request.application.environment == .development {
            // Until mail is queued, development shows the link here; it is a credential, so never in production.
            request.logger.info("verification link for user \(userID): \(link)")
        }
        return EmailChangeResponse(id: userID, email: input.email)
    }

    /// The seed's view: 400 `缺少token`, 400 `无效token`, or 200 `OK` once the token's user still has the token's address.
    func verify(request: Request) async throws -> MessageResponse {
        guard let token = request.query[String.self, at: "token"], !token.isEmpty else {
            throw APIError.message(Self.missingToken)
        }
        let claims: EmailVerificationClaims
        do { claims = try request.application.emailVerifier.claims(in: token) } catch {
            request.logger.info("verification token refused: \(error)")
            throw APIError.message(Self.invalidToken)
        }
        // Conditional on the address, so a token for an address the user has since replaced activates nothing.
        try await User.query(on: request.db)
            .filter(\.$id == claims.userID).filter(\.$email == claims.email)
            .set(\.$emailActive, to: true)
            .update()
        let verified = try await User.query(on: request.db)
            .filter(\.$id == claims.userID).filter(\.$email == claims.email).filter(\.$emailActive == true)
            .count()
        guard verified == 1 else { throw APIError.message(Self.invalidToken) }
        return MessageResponse(message: "OK")
    }
}
