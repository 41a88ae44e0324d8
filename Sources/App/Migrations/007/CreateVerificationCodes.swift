import FluentKit
import SQLKit
import Verification

/// Each account's latest verification code, hashed (`VerificationCodes`).
struct CreateVerificationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.createTable(OwnAccounts.tables.verificationCodes, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.verificationCodes).ifExists().run()
    }

    /// Frozen: the table as this migration made it; the shop's tables take it too.
    static func createTable(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.create(table: table).ifNotExists()
            .column("user_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("email", type: .text, .notNull)
            .column("code_hash", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .column("tries", type: .int, .notNull)
            .run()
    }
}
