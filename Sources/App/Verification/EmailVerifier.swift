import MeiduoTokens
import SignedToken
import Foundation

/// Mints and reads the seed's verification tokens and builds the link the mail carries. Tokens are signed with
/// `SECRET_KEY`; one whose signature is another key's is tried against each of `SECRET_KEY_FALLBACKS`, so links
/// mailed before a rotation still verify.
struct EmailVerifier: Sendable {
    let serializer: TimedJSONWebSignatureSerializer
    let fallbacks: [TimedJSONWebSignatureSerializer]
    let linkBase: String

    init(settings: Settings, clock: @escaping @Sendable () -> Date) {
        let serializer = { (key: String) in
            TimedJSONWebSignatureSerializer(secretKey: key, expiresIn: settings.verifyEmailTokenExpires,
                                            now: { Int64(clock().timeIntervalSince1970) })
        }
        self.serializer = serializer(settings.secretKey)
        self.fallbacks = settings.secretKeyFallbacks.map(serializer)
        self.linkBase = settings.verifyEmailURL
    }

    /// `VERIFY_EMAIL_URL?token=…` (or `&token=` when the base has a query already); tokens are URL-safe as they are.
    func link(userID: Int64, email: String) -> String {
        let token = serializer.dumps(EmailVerificationClaims(userID: userID, email: email))
        return linkBase + (linkBase.contains("?") ? "&" : "?") + "token=" + token
    }

    func claims(in token: String) throws(TokenError) -> EmailVerificationClaims {
        do {
            return try serializer.loads(token, as: EmailVerificationClaims.self)
        } catch .badSignature where !fallbacks.isEmpty {
            for fallback in fallbacks {
                do { return try fallback.loads(token, as: EmailVerificationClaims.self) } catch .badSignature { continue }
            }
            throw .badSignature
        }
    }
}
