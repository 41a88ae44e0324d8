import FluentKit
import SQLKit
import Verification

/// The leadership row that lets one worker among all hosts run the rescuer and the pruner at a time: the worker
/// holding it and until when, on the database's clock.
struct CreateJobLeaders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await Self.createTable(OwnAccounts.tables.queue.leaders, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.queue.leaders).ifExists().run()
    }

    /// Frozen: the table as this migration made it; the shop's tables take it too.
    static func createTable(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.create(table: table).ifNotExists()
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("holder", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }
}
