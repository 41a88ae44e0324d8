import Fluent
import SQLKit
import Verification

/// The counters of the per-client rate limit on sign-in and registration.
struct CreateRateLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RateLimitTable(name: OwnAccounts.tables.rateLimits).create(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await RateLimitTable(name: OwnAccounts.tables.rateLimits).drop(on: database.sql)
    }
}
