import Crypto
import Foundation

/// Timed JWS tokens compatible with itsdangerous 1.1.0's `TimedJSONWebSignatureSerializer` (no salt):
/// `b64url({"alg","iat","exp"}) . b64url(payload) . b64url(HMAC(SECRET_KEY, first two parts))`.
public struct TimedJSONWebSignatureSerializer: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case hs256 = "HS256"
        case hs384 = "HS384"
        case hs512 = "HS512"
    }

    public static let maximumTokenLength = 4096

    public let algorithm: Algorithm
    public let expiresIn: Int64
    private let key: SymmetricKey
    private let now: @Sendable () -> Int64

    /// - Parameter now: seconds since the Unix epoch; injectable so tests can move time.
    public init(
        secretKey: String,
        expiresIn: Int64 = 3600,
        algorithm: Algorithm = .hs512,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.key = SymmetricKey(data: Array(secretKey.utf8))
        self.expiresIn = expiresIn
        self.algorithm = algorithm
        self.now = now
    }

    public func dumps(_ payload: some TokenPayload) -> String {
        let issuedAt = now()
        let header = CompactJSON.object([
            "alg": .string(algorithm.rawValue), "iat": .integer(issuedAt), "exp": .integer(issuedAt + expiresIn),
        ])
        return assemble(headerJSON: header, payloadJSON: CompactJSON.object(payload.compactJSONMembers))
    }

    /// Signs any header and payload text; `dumps` is the only caller outside tests.
    func assemble(headerJSON: String, payloadJSON: String) -> String {
        let signingInput = Base64URL.encode(Array(headerJSON.utf8)) + "." + Base64URL.encode(Array(payloadJSON.utf8))
        return signingInput + "." + Base64URL.encode(signature(for: Array(signingInput.utf8)))
    }

    /// Checks, in order: size, signature (constant time), header algorithm, expiry, then the payload's shape.
    public func loads<Payload: TokenPayload>(_ token: String, as type: Payload.Type = Payload.self) throws(TokenError) -> Payload {
        guard !token.isEmpty else { throw .empty }
        guard token.utf8.count <= Self.maximumTokenLength else { throw .tooLong(length: token.utf8.count) }
        guard let lastDot = token.lastIndex(of: ".") else { throw .malformed("no signature part") }
        let signingInput = token[..<lastDot]
        guard let signatureBytes = Base64URL.decode(token[token.index(after: lastDot)...]) else {
            throw .badSignature
        }
        guard isValid(signature: signatureBytes, for: Array(signingInput.utf8)) else { throw .badSignature }

        guard let firstDot = signingInput.firstIndex(of: ".") else { throw .malformed("no payload part") }
        guard let headerJSON = Base64URL.decode(signingInput[..<firstDot]) else { throw .malformed("header is not base64url") }
        guard let payloadJSON = Base64URL.decode(signingInput[signingInput.index(after: firstDot)...]) else {
            throw .malformed("payload is not base64url")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(headerJSON)) } catch {
            throw .malformed("header is not a JSON object with a string alg and an integer exp")
        }
        guard header.alg == algorithm.rawValue else { throw .algorithmMismatch(expected: algorithm.rawValue) }
        guard let expiry = header.exp else { throw .missingExpiry }
        guard expiry >= 0 else { throw .invalidExpiry }
        guard expiry >= now() else { throw .expired }
        do { return try JSONDecoder().decode(Payload.self, from: Data(payloadJSON)) } catch {
            throw .badPayload(String(describing: Payload.self))
        }
    }

    private struct Header: Decodable {
        var alg: String?
        var exp: Int64?
    }

    func signature(for input: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .hs256: Array(HMAC<SHA256>.authenticationCode(for: input, using: key))
        case .hs384: Array(HMAC<SHA384>.authenticationCode(for: input, using: key))
        case .hs512: Array(HMAC<SHA512>.authenticationCode(for: input, using: key))
        }
    }

    private func isValid(signature: [UInt8], for input: [UInt8]) -> Bool {
        switch algorithm {
        case .hs256: HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case .hs384: HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        case .hs512: HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: input, using: key)
        }
    }
}
