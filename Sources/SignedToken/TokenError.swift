/// Why a token was refused. The messages never quote the token itself.
public enum TokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(length: Int)
    case malformed(String)
    case badSignature
    case algorithmMismatch(expected: String)
    case missingExpiry
    case invalidExpiry
    case expired
    case badPayload(String)

    public var description: String {
        switch self {
        case .empty: "the token is empty"
        case .tooLong(let length): "the token is \(length) bytes, over the \(TimedJSONWebSignatureSerializer.maximumTokenLength)-byte limit"
        case .malformed(let why): "the token is malformed: \(why)"
        case .badSignature: "the token's signature does not match"
        case .algorithmMismatch(let expected): "the token's header does not name the algorithm \(expected)"
        case .missingExpiry: "the token's header has no expiry date"
        case .invalidExpiry: "the token's expiry date is not a non-negative integer"
        case .expired: "the token has expired"
        case .badPayload(let why): "the token's payload is not what was signed for: \(why)"
        }
    }
}
