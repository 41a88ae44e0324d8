import Fluent
import SQLKit

/// The counters of the per-client rate limit on sign-in and registration.
struct CreateRateLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RateLimitTable.create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await RateLimitTable.drop(on: database as! any SQLDatabase)
    }
}
