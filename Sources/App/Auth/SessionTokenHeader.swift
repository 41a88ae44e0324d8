import Foundation

/// What a session JWT must look like before its signature is checked: three unpadded base64url parts, and a
/// header that names exactly HS256 and no `crit` extension. The JWT library checks the signature with the key it
/// holds, but took a token whose header said `none`, `HS512`, `RS256` or nothing at all, an unknown `crit`, or a
/// padded signature, as long as the HS256 signature was right; such a token is refused here.
enum SessionTokenHeader {
    private struct Header: Decodable {
        var alg: String?
        var crit: [String]?
    }

    static func isAcceptable(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isBase64URL) }),
              let json = decode(parts[0]),
              let header = try? JSONDecoder().decode(Header.self, from: json)
        else { return false }
        return header.alg == "HS256" && header.crit == nil && !containsKey("crit", in: json)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func decode(_ part: Substring) -> Data? {
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// A `crit` of any type (`"crit": "x"` would not decode as a list) counts.
    private static func containsKey(_ key: String, in json: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: json) as? [String: Any])?[key] != nil
    }
}
