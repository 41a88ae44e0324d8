import FluentKit
import SQLKit
import Verification

/// The "this was not me" links already used (`AddressRevert`).
struct CreateRevertsUsed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.createTable(OwnAccounts.tables.revertsUsed, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.revertsUsed).ifExists().run()
    }

    /// Frozen: the table as this migration made it; the shop's tables take it too.
    static func createTable(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.create(table: table).ifNotExists()
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("used_at", type: .bigint, .notNull)
            .run()
    }
}
