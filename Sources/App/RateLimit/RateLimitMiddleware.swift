import SQLKit
import Vapor
import Verification

/// Refuses a client's requests beyond `limit` in a window with 429 and `Retry-After`, in the body DRF's throttles
/// give, before the route does any work (sign-in's bcrypt comparison among it). Every request counts, accepted or
/// not. The client is the socket's peer address, or what trusted proxies wrote in `RATE_LIMIT_CLIENT_HEADER`
/// (`ClientAddress`).
struct RateLimitMiddleware: AsyncMiddleware {
    let scope: String
    let limit: RateLimit
    let table: RateLimitTable
    let clientHeader: String?
    let trustedHops: Int
    let clock: @Sendable () -> Date
    /// The rows of windows that are over are cleared as each new window starts, once per server.
    private let pruning: OncePerPeriod

    init(scope: String, limit: RateLimit, table: String, clientHeader: String?, trustedHops: Int, clock: @escaping @Sendable () -> Date) {
        self.scope = scope
        self.limit = limit
        self.table = RateLimitTable(name: table)
        self.clientHeader = clientHeader
        self.trustedHops = trustedHops
        self.clock = clock
        self.pruning = OncePerPeriod(seconds: limit.seconds)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = Int64(clock().timeIntervalSince1970)
        let windowStart = now - now % limit.seconds
        let database = request.db.sql
        let client = ClientAddress.bucket(peer: request.remoteAddress?.ipAddress,
                                          header: clientHeader.flatMap { request.headers[$0].joined(separator: ",") },
                                          trustedHops: trustedHops)
        let hits = try await table.hit("\(scope):\(client)", windowStart: windowStart, on: database)
        if pruning.isDue(at: windowStart) {
            try await table.prune(before: windowStart, on: database)
        }
        guard hits <= limit.requests else {
            request.logger.notice("rate limit reached", metadata: ["scope": "\(scope)", "requests": "\(hits)",
                                                                 "client": .string(ClientAddress.masked(client))])
            throw APIError.throttled(seconds: Int(windowStart + limit.seconds - now))
        }
        return try await next.respond(to: request)
    }
}
