import PythonJSON
import SignedToken

/// The shop's email-verification payload, as the seed signs it: `{"user_id": <int>, "email": <str>}`.
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
