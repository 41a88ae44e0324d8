import Foundation

/// The address a rate limit counts a request against, decided from the socket's peer and, behind trusted proxies,
/// the header they write — never from what the client wrote itself. Pure: no request, no storage.
package enum ClientAddress {
    /// The client's bucket: an IPv4 address as such, an IPv6 address by its /64 (one host's many addresses share
    /// it), `unknown` when nothing parses. Always short: a header's length never reaches the database.
    ///
    /// - Parameters:
    ///   - header: the value of `RATE_LIMIT_CLIENT_HEADER`, when that is set; nil otherwise.
    ///   - trustedHops: the proxies in front of the service. Each appends the address it saw to
    ///     `X-Forwarded-For`, so the entry `trustedHops` from the right is the one the outermost trusted proxy
    ///     wrote; entries to its left came from the client and are ignored.
    package static func bucket(peer: String?, header: String?, trustedHops: Int) -> String {
        if let header {
            let entries = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if entries.count >= trustedHops, trustedHops > 0, let parsed = normalized(entries[entries.count - trustedHops]) {
                return parsed
            }
        }
        return peer.flatMap(normalized) ?? "unknown"
    }

    /// A bucket as a `rate limit reached` line shows it: an IPv4 address without its last byte, an IPv6 /64 as is.
    package static func masked(_ bucket: String) -> String {
        guard !bucket.contains(":"), let lastDot = bucket.lastIndex(of: ".") else { return bucket }
        return bucket[..<lastDot] + ".x"
    }

    /// A strictly parsed IP address (no leading zeros, no trailing junk), IPv6 cut to its /64.
    package static func normalized(_ text: String) -> String? {
        guard text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return text
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")  // IPv4-mapped: the IPv4 address
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
