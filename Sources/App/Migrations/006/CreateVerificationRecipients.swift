import FluentKit
import SQLKit
import Verification

/// The per-address counts of verification mails (`RecipientLimit`).
struct CreateVerificationRecipients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.createTable(OwnAccounts.tables.verificationRecipients, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.verificationRecipients).ifExists().run()
    }

    /// Frozen: the table as this migration made it; the shop's tables take it too.
    static func createTable(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.create(table: table).ifNotExists()
            .column("address", type: .text, .primaryKey(autoIncrement: false))
            .column("last_queued_at", type: .bigint, .notNull)
            .column("day_start", type: .bigint, .notNull)
            .column("day_count", type: .int, .notNull)
            .run()
    }
}
