import Foundation
import Hummingbird
import SQLKit
import Verification

/// Refuses a client's requests beyond `limit` in a window with 429 and `Retry-After`, in the body DRF's throttles
/// give, before the route does any work (sign-in's bcrypt comparison among it). Every request counts, accepted or
/// not. The client is what `ClientIdentification` says.
package struct RateLimitMiddleware<Context: ConnectionContext>: RouterMiddleware {

    let database: RequestDatabase
    let scope: String
    let limit: RateLimit
    let table: RateLimitTable
    let clients: ClientIdentification
    let clock: @Sendable () -> Date
    /// The rows of windows that are over are cleared as each new window starts, once per server.
    private let pruning: OncePerPeriod

    package init(database: RequestDatabase, scope: String, limit: RateLimit, table: String, clients: ClientIdentification, clock: @escaping @Sendable () -> Date) {
        self.database = database
        self.scope = scope
        self.limit = limit
        self.table = RateLimitTable(name: table)
        self.clients = clients
        self.clock = clock
        self.pruning = OncePerPeriod(seconds: limit.seconds)
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let now = Int64(clock().timeIntervalSince1970)
        let windowStart = now - now % limit.seconds
        let database = database(context)
        let client = clients.bucket(of: request, context: context)
        let hits = try await table.hit("\(scope):\(client)", windowStart: windowStart, on: database)
        if pruning.isDue(at: windowStart) {
            try await table.prune(scope: scope, before: windowStart, on: database)
        }
        guard hits <= limit.requests else {
            context.logger.notice("rate limit reached", metadata: ["scope": "\(scope)", "requests": "\(hits)",
                                                                 "client": .string(ClientAddress.masked(client))])
            throw APIError.throttled(seconds: Int(windowStart + limit.seconds - now))
        }
        return try await next(request, context)
    }
}
