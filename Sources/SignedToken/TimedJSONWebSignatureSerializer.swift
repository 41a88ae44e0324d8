import Crypto
import Foundation
import PythonJSON

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
    private let mac: KeyedMAC
    private let now: @Sendable () -> Int64

    /// - Parameter now: seconds since the Unix epoch; injectable so tests can move time.
    public init(
        secretKey: String,
        expiresIn: Int64 = 3600,
        algorithm: Algorithm = .hs512,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.mac = KeyedMAC(algorithm, key: SymmetricKey(data: Array(secretKey.utf8)))
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
        guard let lastDot = token.utf8.lastIndex(of: UInt8(ascii: ".")) else { throw .malformed("no signature part") }
        let signingInput = token[..<lastDot]
        guard let signatureBytes = Base64URL.decode(token[token.utf8.index(after: lastDot)...]) else {
            throw .badSignature
        }
        guard mac.isValid(signatureBytes, for: signingInput.utf8) else { throw .badSignature }

        guard let firstDot = signingInput.utf8.firstIndex(of: UInt8(ascii: ".")) else { throw .malformed("no payload part") }
        guard let headerJSON = Base64URL.decode(signingInput[..<firstDot]) else { throw .malformed("header is not base64url") }
        guard let payloadJSON = Base64URL.decode(signingInput[signingInput.utf8.index(after: firstDot)...]) else {
            throw .malformed("payload is not base64url")
        }
        let header: Header
        do { header = try Self.decoder.decode(Header.self, from: Data(headerJSON)) } catch {
            throw .malformed("header is not a JSON object with a string alg and an integer exp")
        }
        guard header.alg == algorithm.rawValue else { throw .algorithmMismatch(expected: algorithm.rawValue) }
        guard let expiry = header.exp else { throw .missingExpiry }
        guard expiry >= 0 else { throw .invalidExpiry }
        guard expiry >= now() else { throw .expired }
        do { return try Self.decoder.decode(Payload.self, from: Data(payloadJSON)) } catch {
            throw .badPayload(String(describing: Payload.self))
        }
    }

    private struct Header: Decodable {
        var alg: String?
        var exp: Int64?
    }

    private static let decoder = JSONDecoder()

    func signature(for input: [UInt8]) -> [UInt8] {
        mac.code(for: input)
    }
}

/// HMAC keyed once: the key's inner and outer blocks are hashed at start, and each token works on a copy.
private enum KeyedMAC: Sendable {
    case sha256(HMAC<SHA256>)
    case sha384(HMAC<SHA384>)
    case sha512(HMAC<SHA512>)

    init(_ algorithm: TimedJSONWebSignatureSerializer.Algorithm, key: SymmetricKey) {
        switch algorithm {
        case .hs256: self = .sha256(HMAC(key: key))
        case .hs384: self = .sha384(HMAC(key: key))
        case .hs512: self = .sha512(HMAC(key: key))
        }
    }

    func code(for input: some DataProtocol) -> [UInt8] {
        switch self {
        case .sha256(let keyed): Array(Self.code(keyed, input))
        case .sha384(let keyed): Array(Self.code(keyed, input))
        case .sha512(let keyed): Array(Self.code(keyed, input))
        }
    }

    /// Compares in constant time (swift-crypto's MAC equality).
    func isValid(_ signature: [UInt8], for input: some Collection<UInt8>) -> Bool {
        let bytes = Array(input)
        return switch self {
        case .sha256(let keyed): Self.code(keyed, bytes) == signature
        case .sha384(let keyed): Self.code(keyed, bytes) == signature
        case .sha512(let keyed): Self.code(keyed, bytes) == signature
        }
    }

    private static func code<H>(_ keyed: HMAC<H>, _ input: some DataProtocol) -> HashedAuthenticationCode<H> {
        var mac = keyed
        mac.update(data: input)
        return mac.finalize()
    }
}
