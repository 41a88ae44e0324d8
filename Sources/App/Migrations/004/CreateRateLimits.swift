import FluentKit
import SQLKit
import Verification

/// The counters of the per-client rate limit on sign-in and registration.
struct CreateRateLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.createTable(OwnAccounts.tables.rateLimits, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.rateLimits).ifExists().run()
    }

    /// Frozen: the table as this migration made it; the shop's tables take it too.
    static func createTable(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.create(table: table).ifNotExists()
            .column("key", type: .text, .primaryKey(autoIncrement: false))
            .column("window_start", type: .bigint, .notNull)
            .column("hits", type: .int, .notNull)
            .run()
    }
}
