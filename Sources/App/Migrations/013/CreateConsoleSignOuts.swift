import FluentKit
import SQLKit
import Verification

/// The console's ended sessions: a digest of each signed-out session's nonce, until the session would have expired.
/// Frozen: as this migration made it.
struct CreateConsoleSignOuts: AsyncMigration {
    let tables: ServiceTables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.create(table: tables.consoleSignOuts).ifNotExists()
            .column("nonce_digest", type: .text, .primaryKey(autoIncrement: false))
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: tables.consoleSignOuts).ifExists().run()
    }
}
