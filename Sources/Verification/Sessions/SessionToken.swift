import Foundation
import JWTKit

/// The JWT a signed-in client sends, HS256 over `SECRET_KEY`. The service writes djangorestframework-jwt's
/// `{user_id, username, exp}`, as the seed did; it also takes a Django shop's simplejwt access tokens
/// (`{token_type: "access", user_id, exp, iat, jti}`, where simplejwt 5.5 writes `user_id` as a string). Any
/// other `token_type` (simplejwt's refresh tokens) is refused.
package struct SessionToken: JWTPayload {
    package var userID: Int64
    /// Absent from simplejwt's tokens; nothing depends on it.
    package var username: String?
    package var exp: ExpirationClaim
    /// Not written by us; honoured when another issuer sets it.
    package var nbf: NotBeforeClaim?
    /// When it was issued, to the millisecond in ours (simplejwt's: whole seconds; drf-jwt's have none).
    package var iat: IssuedAtClaim?
    /// simplejwt's; refused unless `access`.
    package var tokenType: String?

    package enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username
        case exp
        case nbf
        case iat
        case tokenType = "token_type"
    }

    package init(userID: Int64, username: String, lifetime: Int64, now: Date) {
        self.userID = userID
        self.username = username
        self.exp = ExpirationClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + TimeInterval(lifetime)).rounded(.down)))
        self.iat = IssuedAtClaim(value: Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
    }

    /// When it was issued, in milliseconds since 1970: its `iat`, or, for a token without one (drf-jwt's), its
    /// expiry less the sessions' `lifetime` — never later than it was issued.
    package func issuedAtMilliseconds(lifetime: Int64) -> Int64 {
        let issued = iat?.value.timeIntervalSince1970 ?? exp.value.timeIntervalSince1970 - Double(lifetime)
        return Int64((issued * 1000).rounded(.down))
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decode(Int64.self, forKey: .userID) {
            userID = number
        } else if let text = try? container.decode(String.self, forKey: .userID), let number = Int64(text), String(number) == text {
            userID = number
        } else {
            throw DecodingError.dataCorruptedError(forKey: .userID, in: container, debugDescription: "user_id is not an integer")
        }
        username = try container.decodeIfPresent(String.self, forKey: .username)
        exp = try container.decode(ExpirationClaim.self, forKey: .exp)
        nbf = try container.decodeIfPresent(NotBeforeClaim.self, forKey: .nbf)
        iat = try container.decodeIfPresent(IssuedAtClaim.self, forKey: .iat)
        tokenType = try container.decodeIfPresent(String.self, forKey: .tokenType)
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
        if let tokenType, tokenType != "access" {
            throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "token_type is \(tokenType), not access")
        }
    }
}
