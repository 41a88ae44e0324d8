/// A value that travels inside a token: written as itsdangerous's compact JSON, read back with `Decodable`.
public protocol TokenPayload: Decodable, Sendable {
    /// The members in the order the Python side would have inserted them.
    var compactJSONMembers: KeyValuePairs<String, CompactJSON.Value> { get }
}

/// The seed's email-verification payload: `{"user_id": <int>, "email": <str>}`.
public struct EmailVerificationClaims: TokenPayload, Equatable {
    public var userID: Int64
    public var email: String

    public init(userID: Int64, email: String) {
        self.userID = userID
        self.email = email
    }

    public var compactJSONMembers: KeyValuePairs<String, CompactJSON.Value> {
        ["user_id": .integer(userID), "email": .string(email)]
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case email
    }
}
