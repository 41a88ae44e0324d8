import Fluent
import JWT
import NIOConcurrencyHelpers
import Vapor

/// Registration, sign-in and the signed-in user's profile.
struct AccountController: RouteCollection {
    static let badCredentials = "无法使用提供的认证信息登录。"
    static let usernameTaken = "已存在一位使用该名字的用户。"

    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(limited("register")).post("users", use: register)
        routes.grouped(limited("sign-in")).post("authorizations", use: signIn)
        routes.grouped(SessionAuthenticator()).get("user", use: profile)
    }

    private func limited(_ scope: String) -> [any Middleware] {
        services.settings.authRateLimit.map {
            [RateLimitMiddleware(scope: scope, limit: $0, clientHeader: services.settings.rateLimitClientHeader,
                                 trustedHops: services.settings.rateLimitTrustedProxies, clock: services.clock)]
        } ?? []
    }

    func register(request: Request) async throws -> Response {
        let input = try RegistrationRequest(form: FormFields.decode(from: request))
        if try await User.query(on: request.db).filter(\.$username == input.username).first() != nil {
            throw APIError.fields([("username", [Self.usernameTaken])])
        }
        let user = User(username: input.username, passwordHash: try await request.password.async.hash(input.password), email: input.email)
        do { try await user.create(on: request.db) } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.fields([("username", [Self.usernameTaken])])  // lost a race with another registration
        }
        let body = RegistrationResponse(id: try user.requireID(), username: user.username, email: user.email,
                                        token: try await sessionToken(for: user, request: request))
        return body.response(status: .created)
    }

    /// Always runs one bcrypt comparison, against a stand-in hash when the user is unknown, so that the answer's
    /// timing does not tell which usernames exist.
    func signIn(request: Request) async throws -> LoginResponse {
        let input = try LoginRequest(form: FormFields.decode(from: request))
        // A password longer than bcrypt reads can belong to no account: it is compared with the stand-in, never cut.
        let fits = input.password.utf8.count <= RegistrationRequest.maximumPasswordBytes
        let user = fits ? try await User.query(on: request.db).filter(\.$username == input.username).first() : nil
        let hash: String
        if let user { hash = user.passwordHash } else { hash = try await services.unknownUserPasswordHash.value(request) }
        let matches = try await request.password.async.verify(input.password, created: hash)
        guard let user, matches else { throw APIError.nonField(Self.badCredentials) }
        return LoginResponse(token: try await sessionToken(for: user, request: request), userID: try user.requireID(), username: user.username)
    }

    func profile(request: Request) async throws -> ProfileResponse {
        let session = try request.auth.require(SessionToken.self)
        guard let user = try await SignedInUser.find(session.userID, on: request.db) else {
            throw SessionAuthenticator.userNotFound
        }
        return ProfileResponse(user: user)
    }

    func sessionToken(for user: User, request: Request) async throws -> String {
        try await request.jwt.sign(SessionToken(user: user, lifetime: services.settings.jwtExpiration, now: services.clock()))
    }
}

/// A bcrypt hash of a random password at the configured cost, to compare against when the username is unknown.
/// Made on first need (it takes a quarter second at cost 12) and then kept.
final class UnknownUserPasswordHash: Sendable {
    private let hash = NIOLockedValueBox<String?>(nil)

    func value(_ request: Request) async throws -> String {
        if let hash = hash.withLockedValue({ $0 }) { return hash }
        let made = try await request.password.async.hash([UInt8].random(count: 16).base64)
        return hash.withLockedValue { stored in
            if stored == nil { stored = made }
            return stored!
        }
    }
}
