import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Refuses a client's requests beyond `limit` in a window with 429 and `Retry-After`, in the body DRF's throttles
/// give, before the route does any work (sign-in's bcrypt comparison among it). Every request counts, accepted or
/// not. The client is the socket's peer address, or the header a trusted proxy sets (`RATE_LIMIT_CLIENT_HEADER`).
struct RateLimitMiddleware: AsyncMiddleware {
    let scope: String
    let limit: RateLimit
    let clientHeader: String?
    let clock: @Sendable () -> Date
    private let requestsSincePrune = NIOLockedValueBox(0)

    init(scope: String, limit: RateLimit, clientHeader: String?, clock: @escaping @Sendable () -> Date) {
        self.scope = scope
        self.limit = limit
        self.clientHeader = clientHeader
        self.clock = clock
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = Int64(clock().timeIntervalSince1970)
        let windowStart = now - now % limit.seconds
        let database = request.db as! any SQLDatabase
        let hits = try await RateLimitTable.hit("\(scope):\(client(of: request))", windowStart: windowStart, on: database)
        if shouldPrune() {
            try await RateLimitTable.prune(before: windowStart, on: database)
        }
        guard hits <= limit.requests else {
            request.logger.notice("rate limit reached", metadata: ["scope": "\(scope)", "requests": "\(hits)"])
            throw APIError.throttled(seconds: Int(windowStart + limit.seconds - now))
        }
        return try await next.respond(to: request)
    }

    private func client(of request: Request) -> String {
        if let clientHeader, let value = request.headers.first(name: clientHeader)?.split(separator: ",").first {
            return value.trimmingCharacters(in: .whitespaces)
        }
        return request.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Every 1,000th request of this server clears the rows of windows that are over.
    private func shouldPrune() -> Bool {
        requestsSincePrune.withLockedValue { count in
            count += 1
            if count < 1000 { return false }
            count = 0
            return true
        }
    }
}
