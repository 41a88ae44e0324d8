import Vapor
import Verification

/// One line per request once it is answered: method, path, status, latency and the client address the rate limit
/// counts it against. An incoming `X-Request-Id` becomes the request's `request-id` when it is a short token;
/// anything else is replaced by a fresh one, so a client cannot write what it likes into every line.
struct RequestLogMiddleware: AsyncMiddleware {
    let clientHeader: String?
    let trustedHops: Int

    static func acceptableRequestID(_ value: String) -> Bool {
        (1...64).contains(value.utf8.count) && value.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let given = request.headers.first(name: .xRequestId), !Self.acceptableRequestID(given) {
            request.logger[metadataKey: "request-id"] = .string(UUID().uuidString)
        }
        let start = ContinuousClock.now
        let client = ClientAddress.bucket(peer: request.remoteAddress?.ipAddress,
                                          header: clientHeader.flatMap { request.headers[$0].joined(separator: ",") },
                                          trustedHops: trustedHops)
        let log = { (status: UInt) in
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            request.logger.info("\(request.method) \(request.url.path.removingPercentEncoding ?? request.url.path)", metadata: [
                "status": "\(status)", "latency_ms": .string(String(format: "%.1f", milliseconds)), "client": .string(client),
            ])
        }
        do {
            let response = try await next.respond(to: request)
            log(response.status.code)
            return response
        } catch {
            log(500)
            throw error
        }
    }
}

private extension UInt8 {
    var isASCIIAlphanumeric: Bool { (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
