import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import Verification

/// Registration, sign-in and the signed-in user's profile.
struct AccountController: RouteCollection {
    static let badCredentials = "无法使用提供的认证信息登录。"
    static let usernameTaken = "已存在一位使用该名字的用户。"

    let accounts: any AccountTable.Type
    let passwords: any PasswordScheme
    let unknownUserPasswordHash: UnknownUserPasswordHash
    let sessionKeys: SessionKeys
    /// Seconds a session JWT is valid (`JWT_EXPIRATION`).
    let sessionLifetime: Int64
    let deliveries: DeliveryLog
    /// The rate limit in front of registration and sign-in, per scope; empty when `AUTH_RATE_LIMIT=off`.
    let rateLimited: @Sendable (_ scope: String) -> [any Middleware]
    let clock: @Sendable () -> Date

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(rateLimited("register")).post("users", use: register)
        routes.grouped(rateLimited("sign-in")).post("authorizations", use: signIn)
        routes.grouped(SessionAuthenticator(keys: sessionKeys)).get("user", use: profile)
    }

    func register(request: Request) async throws -> Response {
        let input = try RegistrationRequest(form: FormFields.decode(from: request),
                                            maximumPasswordBytes: passwords.maximumPasswordBytes)
        let database = request.db.sql
        if try await SignInAccount.usernameTaken(input.username, in: accounts, on: database) {
            throw APIError.fields([("username", [Self.usernameTaken])])
        }
        let passwords = passwords
        let hash = try await request.application.threadPool.runIfActive { try passwords.hash(input.password) }
        let id: Int64
        do {
            id = try await accounts.insert(username: input.username, passwordHash: hash, email: input.email, at: clock(), on: database)
        } catch {
            // Lost a race with another registration; any other refusal (a shop's column this service does not
            // fill) is the operator's to see.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                  try await SignInAccount.usernameTaken(input.username, in: accounts, on: database) else { throw error }
            throw APIError.fields([("username", [Self.usernameTaken])])
        }
        let body = RegistrationResponse(id: id, username: input.username, email: input.email,
                                        token: try await sessionToken(userID: id, username: input.username, request: request))
        return body.response(status: .created)
    }

    /// Always runs one password comparison, against a stand-in hash when the user is unknown, so that the
    /// answer's timing does not tell which usernames exist.
    func signIn(request: Request) async throws -> LoginResponse {
        let input = try LoginRequest(form: FormFields.decode(from: request))
        let account = try await SignInAccount.find(username: input.username, in: accounts, on: request.db.sql)
        let hash: String
        if let account { hash = account.passwordHash } else { hash = try await unknownUserPasswordHash.value(request) }
        let passwords = passwords
        let logger = request.logger
        let matches = try await request.application.threadPool.runIfActive {
            try passwords.verify(input.password, against: hash, logger: logger)
        }
        guard let account, matches else { throw APIError.nonField(Self.badCredentials) }
        return LoginResponse(token: try await sessionToken(userID: account.id, username: account.username, request: request),
                             userID: account.id, username: account.username)
    }

    func profile(request: Request) async throws -> ProfileResponse {
        let session = try request.auth.require(SessionToken.self)
        let database = request.db.sql
        guard let user = try await SignedInUser.find(session.userID, in: accounts, on: database) else {
            throw SessionAuthenticator.userNotFound
        }
        let latest = user.email.isEmpty ? nil : try await deliveries.latest(address: user.email, on: database)
        return ProfileResponse(user: user, latestDelivery: latest)
    }

    func sessionToken(userID: Int64, username: String, request: Request) async throws -> String {
        try await sessionKeys.sign(SessionToken(userID: userID, username: username, lifetime: sessionLifetime, now: clock()))
    }
}

/// A hash of a random password in the accounts' scheme, to compare against when the username is unknown.
/// Made on first need (it takes a quarter second) and then kept.
final class UnknownUserPasswordHash: Sendable {
    private let hash = NIOLockedValueBox<String?>(nil)
    let passwords: any PasswordScheme

    init(passwords: any PasswordScheme) {
        self.passwords = passwords
    }

    func value(_ request: Request) async throws -> String {
        if let hash = hash.withLockedValue({ $0 }) { return hash }
        let passwords = passwords
        let made = try await request.application.threadPool.runIfActive { try passwords.hash([UInt8].random(count: 16).base64) }
        return hash.withLockedValue { stored in
            if stored == nil { stored = made }
            return stored!
        }
    }
}
