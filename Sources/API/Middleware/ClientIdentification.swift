import HTTPTypes
import Hummingbird
import Verification

/// What a request's client is counted as — by the rate limit, and in the request log: the socket's peer, or behind
/// trusted proxies the address they wrote in `RATE_LIMIT_CLIENT_HEADER` (`ClientAddress`).
package struct ClientIdentification: Sendable {
    let header: String?
    let trustedHops: Int

    package init(header: String?, trustedHops: Int) {
        self.header = header
        self.trustedHops = trustedHops
    }

    package func bucket(of request: Request, context: some ConnectionContext) -> String {
        ClientAddress.bucket(peer: context.remoteAddress?.ipAddress, header: header.flatMap { request.headers.joined($0) },
                             trustedHops: trustedHops)
    }
}

extension HTTPFields {
    /// Every value of the header named `name`, joined by commas as one field line would hold them; nil when absent.
    func joined(_ name: String) -> String? {
        guard let name = HTTPField.Name(name) else { return nil }
        let values = self[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
