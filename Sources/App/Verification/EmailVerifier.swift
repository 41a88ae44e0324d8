import MeiduoTokens
import SignedToken
import Foundation

/// Mints and reads the seed's verification tokens and builds the link the mail carries.
struct EmailVerifier: Sendable {
    let serializer: TimedJSONWebSignatureSerializer
    let linkBase: String

    init(settings: Settings, clock: @escaping @Sendable () -> Date) {
        self.serializer = TimedJSONWebSignatureSerializer(secretKey: settings.secretKey, expiresIn: settings.verifyEmailTokenExpires,
                                                          now: { Int64(clock().timeIntervalSince1970) })
        self.linkBase = settings.verifyEmailURL
    }

    /// `VERIFY_EMAIL_URL?token=…` (or `&token=` when the base has a query already); tokens are URL-safe as they are.
    func link(userID: Int64, email: String) -> String {
        let token = serializer.dumps(EmailVerificationClaims(userID: userID, email: email))
        return linkBase + (linkBase.contains("?") ? "&" : "?") + "token=" + token
    }

    func claims(in token: String) throws(TokenError) -> EmailVerificationClaims {
        try serializer.loads(token, as: EmailVerificationClaims.self)
    }
}
