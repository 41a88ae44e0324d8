import Hex
import ConstantTime
import Crypto
import Foundation

/// VERP envelope senders: mail job 42 goes out from `bounces+42-<tag>@example.com`, so a bounce report sent back to
/// that address names exactly one mail. The tag is the first 8 bytes of HMAC-SHA256 over the job id, in lowercase
/// hex (mail systems may lowercase a local part), under a key derived from the service's secret: an address that is
/// not ours, or whose job id was altered, does not verify, so a forged report cannot mark a stranger's address.
public struct BounceAddress: Sendable {
    public let localPart: String
    public let domain: String
    /// The first signs; all verify (older secrets, during a key rotation).
    private let keys: [SymmetricKey]

    /// `base` is the plain bounce address (`bounces@example.com`); nil when it is not `local@domain`.
    public init?(base: String, secrets: [String]) {
        let parts = base.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[0].contains("+"), !secrets.isEmpty,
              base.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "<" && $0 != ">" })
        else { return nil }
        localPart = parts[0].lowercased()
        domain = parts[1].lowercased()
        keys = secrets.map { secret in
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("meiduo bounce address".utf8), using: SymmetricKey(data: Array(secret.utf8))))
        }
    }

    public func address(forJob id: Int64) -> String {
        "\(localPart)+\(id)-\(Self.tag(id, key: keys[0]))@\(domain)"
    }

    /// The job whose mail went out from `address`, if the address is one of ours and its tag verifies.
    public func jobID(in address: String) -> Int64? {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@"), lowered[lowered.index(after: at)...] == domain else { return nil }
        let local = lowered[..<at]
        let prefix = localPart + "+"
        guard local.hasPrefix(prefix) else { return nil }
        let rest = local.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-"), let id = Int64(rest[..<dash]), id > 0, String(id) == rest[..<dash] else { return nil }
        let tag = Array(rest[rest.index(after: dash)...].utf8)
        return keys.contains { ConstantTime.equal(Array(Self.tag(id, key: $0).utf8), tag) } ? id : nil
    }

    private static func tag(_ id: Int64, key: SymmetricKey) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Array(String(id).utf8), using: key).prefix(8))
    }
}
