import JWTKit

/// Signs session JWTs (HS256) with `SECRET_KEY` and verifies them against it and then each of
/// `SECRET_KEY_FALLBACKS`, so that a rotation signs no one out.
package struct SessionKeys: Sendable {
    private let keys: JWTKeyCollection

    package init(secretKey: String, fallbacks: [String]) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secretKey), digestAlgorithm: .sha256)
        for (index, key) in fallbacks.enumerated() {
            await keys.add(hmac: HMACKey(from: key), digestAlgorithm: .sha256, kid: JWKIdentifier(string: "fallback-\(index + 1)"))
        }
        self.keys = keys
    }

    package func sign(_ session: SessionToken) async throws -> String {
        try await keys.sign(session)
    }

    /// The token's session when one of the keys signed it and its claims hold; throws otherwise.
    package func verify(_ token: String) async throws -> SessionToken {
        try await keys.verify(token, as: SessionToken.self, iteratingKeys: true)
    }
}
