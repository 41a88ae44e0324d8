import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Verification

/// One line per request once it is answered: method, path, status, latency and the client address the rate limit
/// counts it against (`ClientIdentification`). Every line of the request carries its `request-id`: the incoming `X-Request-Id` when it is a
/// short token, a fresh one otherwise, so a client cannot write what it likes into every line.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let clients: ClientIdentification

    static func acceptableRequestID(_ value: String) -> Bool {
        (1...64).contains(value.utf8.count) && value.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Hummingbird's own id (a counter, no system call) unless the client gave an acceptable one.
        let own = context.logger[metadataKey: "hb.request.id"]
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request-id"] = request.headers[.requestID].flatMap { Self.acceptableRequestID($0) ? .string($0) : nil }
            ?? own ?? .string(UUID().uuidString)
        let start = ContinuousClock.now
        let log = { [context] (status: Int) in
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            let path = request.uri.path
            context.logger.info("\(request.method) \(path.contains("%") ? path.removingPercentEncoding ?? path : path)", metadata: [
                "status": "\(status)", "latency_ms": .string(String(format: "%.1f", milliseconds)),
                "client": .string(clients.bucket(of: request, context: context)),
            ])
        }
        do {
            let response = try await next(request, context)
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
