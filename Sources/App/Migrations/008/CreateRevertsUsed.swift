import Fluent
import SQLKit
import Verification

/// The "this was not me" links already used (`AddressRevert`).
struct CreateRevertsUsed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await AddressRevert.create(table: OwnAccounts.tables.revertsUsed, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.revertsUsed).ifExists().run()
    }
}
