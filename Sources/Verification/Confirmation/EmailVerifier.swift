import Hex
import Crypto
import MeiduoTokens
import SignedToken
import Foundation

/// Mints and reads the seed's verification tokens and builds the link the mail carries; links mailed before a key
/// rotation still verify (`SigningKeys`).
package struct EmailVerifier: Sendable {
    package let keys: SigningKeys
    package let linkBase: String

    package init(settings: Settings, clock: @escaping @Sendable () -> Date) {
        keys = SigningKeys(settings: settings, lifetime: settings.verifyEmailTokenExpires, clock: clock)
        linkBase = settings.verifyEmailURL
    }

    /// `VERIFY_EMAIL_URL?token=…` (or `&token=` when the base has a query already); tokens are URL-safe as they are.
    package func link(userID: Int64, email: String) -> String {
        Self.link(linkBase, parameter: "token", token: keys.sign(EmailVerificationClaims(userID: userID, email: email)))
    }

    package func claims(in token: String) throws(TokenError) -> EmailVerificationClaims {
        try keys.load(token, as: EmailVerificationClaims.self)
    }

    package static func link(_ base: String, parameter: String, token: String) -> String {
        base + (base.contains("?") ? "&" : "?") + parameter + "=" + token
    }
}

/// The "this was not me" link of an email-change notice: signed with a key derived for it, valid `REVERT_TTL`, to
/// the verification page, which tells it from a verification link by its parameter (`?revert=`).
package struct RevertLinks: Sendable {
    package let keys: SigningKeys
    package let linkBase: String
    private let digestKey: SymmetricKey

    package init(settings: Settings, clock: @escaping @Sendable () -> Date) {
        keys = SigningKeys(settings: settings, purpose: "meiduo-revert-email", lifetime: settings.revertTTL, clock: clock)
        linkBase = settings.verifyEmailURL
        digestKey = SymmetricKey(data: Array("meiduo-revert-digest|\(settings.secretKey)".utf8))
    }

    /// The link's stand-in for the new address: an HMAC, so the link does not reveal it.
    package func digest(of email: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Array(email.lowercased().utf8), using: digestKey).prefix(16))
    }

    package func claims(userID: Int64, oldEmail: String, newEmail: String) -> RevertClaims {
        RevertClaims(userID: userID, oldEmail: oldEmail, newEmailMasked: EmailAddress.masked(newEmail), newEmailDigest: digest(of: newEmail))
    }

    package func link(_ claims: RevertClaims) -> String {
        EmailVerifier.link(linkBase, parameter: "revert", token: keys.sign(claims))
    }

    package func claims(in token: String) throws(TokenError) -> RevertClaims {
        try keys.load(token, as: RevertClaims.self)
    }
}
