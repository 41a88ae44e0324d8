import PythonJSON
import SignedToken

/// What the "this was not me" link in an email-change notice carries: the account, the verified address it had, and
/// the address it was changed to — masked, and as a keyed digest, never in full: the notice goes to the old address.
/// Signed with a key of its own, so it never passes for a verification token.
public struct RevertClaims: TokenPayload, Equatable {
    public var userID: Int64
    public var oldEmail: String
    public var newEmailMasked: String
    public var newEmailDigest: String

    public init(userID: Int64, oldEmail: String, newEmailMasked: String, newEmailDigest: String) {
        self.userID = userID
        self.oldEmail = oldEmail
        self.newEmailMasked = newEmailMasked
        self.newEmailDigest = newEmailDigest
    }

    public var compactJSONMembers: KeyValuePairs<String, CompactJSON.Value> {
        ["user_id": .integer(userID), "old_email": .string(oldEmail), "new_email_masked": .string(newEmailMasked),
         "new_email_digest": .string(newEmailDigest)]
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case oldEmail = "old_email"
        case newEmailMasked = "new_email_masked"
        case newEmailDigest = "new_email_digest"
    }
}
