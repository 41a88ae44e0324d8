import Foundation
import Hummingbird
import SQLKit
import Verification

/// Registration, sign-in and the signed-in user's profile.
struct AccountController {
    static let badCredentials = "无法使用提供的认证信息登录。"
    static let usernameTaken = "已存在一位使用该名字的用户。"

    let database: RequestDatabase
    let accounts: any AccountTable.Type
    let passwords: any PasswordScheme
    let passwordSignIn: PasswordSignIn
    let sessionKeys: SessionKeys
    let sessions: SessionAuthenticator
    /// Seconds a session JWT is valid (`JWT_EXPIRATION`).
    let sessionLifetime: Int64
    let deliveries: DeliveryLog
    /// The rate limit in front of registration and sign-in, per scope; none when `AUTH_RATE_LIMIT=off`.
    let rateLimited: @Sendable (_ scope: String) -> RateLimitMiddleware<APIRequestContext>?
    let clock: @Sendable () -> Date

    func addRoutes(to routes: RouteTable) {
        routes.on(.post, "users", through: [rateLimited("register")].compactMap { $0 }, use: register)
        routes.on(.post, "authorizations", through: [rateLimited("sign-in")].compactMap { $0 }, use: signIn)
        routes.on(.get, "user", through: [sessions], use: profile)
    }

    @Sendable func register(request: Request, context: APIRequestContext) async throws -> Response {
        let input = try RegistrationRequest(form: await FormFields.decode(from: request, context: context),
                                            maximumPasswordBytes: passwords.maximumPasswordBytes)
        let database = database(context)
        if try await SignInAccount.usernameTaken(input.username, in: accounts, on: database) {
            throw APIError.fields([("username", [Self.usernameTaken])])
        }
        let hash = try await passwords.hashOffLoop(input.password)
        let id: Int64
        do {
            id = try await accounts.insert(username: input.username, passwordHash: hash, email: input.email, at: clock(), on: database)
        } catch {
            // Lost a race with another registration; any other refusal (a shop's column this service does not
            // fill) is the operator's to see.
            guard DatabaseErrorText.isConstraintFailure(error),
                  try await SignInAccount.usernameTaken(input.username, in: accounts, on: database) else { throw error }
            throw APIError.fields([("username", [Self.usernameTaken])])
        }
        let body = RegistrationResponse(id: id, username: input.username, email: input.email,
                                        token: try await sessionToken(userID: id, username: input.username))
        return body.response(status: .created)
    }

    /// One password comparison whether or not the name exists (`PasswordSignIn`).
    @Sendable func signIn(request: Request, context: APIRequestContext) async throws -> LoginResponse {
        let input = try LoginRequest(form: await FormFields.decode(from: request, context: context))
        guard let account = try await passwordSignIn.account(username: input.username, password: input.password, on: database(context),
                                                             logger: context.logger) else {
            throw APIError.nonField(Self.badCredentials)
        }
        return LoginResponse(token: try await sessionToken(userID: account.id, username: account.username),
                             userID: account.id, username: account.username)
    }

    @Sendable func profile(request: Request, context: APIRequestContext) async throws -> ProfileResponse {
        let session = try context.requireSession()
        let database = database(context)
        guard let user = try await SignedInUser.find(session.userID, in: accounts, on: database) else {
            throw SessionAuthenticator.userNotFound
        }
        let latest = user.email.isEmpty ? nil : try await deliveries.latest(address: user.email, on: database)
        return ProfileResponse(user: user, latestDelivery: latest)
    }

    func sessionToken(userID: Int64, username: String) async throws -> String {
        try await sessionKeys.sign(SessionToken(userID: userID, username: username, lifetime: sessionLifetime, now: clock()))
    }
}
