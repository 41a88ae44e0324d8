import Hex
import ConstantTime
import Crypto
import Foundation
import PythonJSON
import SignedToken

/// What the console's session cookie carries: the staff account and a random nonce the page's CSRF tokens derive
/// from. Signed with a key of its own purpose, so no other token of the service passes for it.
package struct ConsoleSessionClaims: TokenPayload, Equatable {
    package var userID: Int64
    package var nonce: String

    package init(userID: Int64, nonce: String) {
        self.userID = userID
        self.nonce = nonce
    }

    package var compactJSONMembers: KeyValuePairs<String, CompactJSON.Value> {
        ["user_id": .integer(userID), "nonce": .string(nonce)]
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case nonce
    }
}

/// The console's signed session cookies (8 hours) and the CSRF tokens of its forms: an HMAC of the session's
/// nonce, or before sign-in of the nonce the sign-in form's own cookie holds (a double submit bound to the key).
package struct ConsoleSessions: Sendable {
    package static let lifetime: Int64 = 8 * 3600
    private let keys: SigningKeys
    private let csrfKey: SymmetricKey

    package init(settings: Settings, clock: @escaping @Sendable () -> Date) {
        keys = SigningKeys(settings: settings, purpose: "meiduo-console-session", lifetime: Self.lifetime, clock: clock)
        csrfKey = SymmetricKey(data: Array("meiduo-console-csrf|\(settings.secretKey)".utf8))
    }

    /// A new session for `member`.
    package func cookie(for member: StaffMember) -> String {
        keys.sign(ConsoleSessionClaims(userID: member.id, nonce: Self.nonce()))
    }

    /// The claims of a cookie this service signed and that has not expired; nil for any other.
    package func claims(in cookie: String) -> ConsoleSessionClaims? {
        try? keys.load(cookie, as: ConsoleSessionClaims.self)
    }

    /// The CSRF token every form of a session carries.
    package func csrfToken(nonce: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Array("form|\(nonce)".utf8), using: csrfKey))
    }

    /// Whether a form's token is the one for `nonce`, compared in constant time.
    package func isValid(csrfToken given: String?, nonce: String) -> Bool {
        guard let given, !nonce.isEmpty else { return false }
        return ConstantTime.equal(Array(given.utf8), Array(csrfToken(nonce: nonce).utf8))
    }

    /// 16 random bytes, hex.
    package static func nonce() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { Hex.lowercase($0) }
    }
}
