import JWT
import Vapor

/// The JWT a signed-in client sends: `{user_id, username, exp}`, HS256 over `SECRET_KEY`.
struct SessionToken: JWTPayload, Authenticatable {
    var userID: Int64
    var username: String
    var exp: ExpirationClaim
    /// Not written by us; honoured when another issuer sets it.
    var nbf: NotBeforeClaim?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username
        case exp
        case nbf
    }

    init(user: User, lifetime: Int64, now: Date) throws {
        self.userID = try user.requireID()
        self.username = user.username
        self.exp = ExpirationClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + TimeInterval(lifetime)).rounded(.down)))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
