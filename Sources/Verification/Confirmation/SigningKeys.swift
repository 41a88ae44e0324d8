import Foundation
import SignedToken

/// Signs with `SECRET_KEY` and reads with it and then each of `SECRET_KEY_FALLBACKS`, for one kind of link: a token
/// whose signature is another key's is tried against the next. `purpose` derives a key of the kind's own (empty:
/// the key itself, as the seed's verification tokens), so one kind of token never passes for another.
package struct SigningKeys: Sendable {
    package let current: TimedJSONWebSignatureSerializer
    package let fallbacks: [TimedJSONWebSignatureSerializer]

    package init(settings: Settings, purpose: String = "", lifetime: Int64, clock: @escaping @Sendable () -> Date) {
        let serializer = { (key: String) in
            TimedJSONWebSignatureSerializer(secretKey: purpose.isEmpty ? key : "\(purpose)|\(key)", expiresIn: lifetime,
                                            now: { Int64(clock().timeIntervalSince1970) })
        }
        current = serializer(settings.secretKey)
        fallbacks = settings.secretKeyFallbacks.map(serializer)
    }

    package func sign(_ claims: some TokenPayload) -> String {
        current.dumps(claims)
    }

    package func load<Claims: TokenPayload>(_ token: String, as type: Claims.Type) throws(TokenError) -> Claims {
        do {
            return try current.loads(token, as: type)
        } catch .badSignature where !fallbacks.isEmpty {
            for fallback in fallbacks {
                do { return try fallback.loads(token, as: type) } catch .badSignature { continue }
            }
            throw .badSignature
        }
    }
}
