import Fluent
import SQLKit

/// The counters of the per-client rate limit on sign-in and registration.
struct CreateRateLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RateLimitTable(name: OwnAccounts.tables.rateLimits).create(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await RateLimitTable(name: OwnAccounts.tables.rateLimits).drop(on: database as! any SQLDatabase)
    }
}
