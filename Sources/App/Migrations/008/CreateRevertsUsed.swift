import Fluent
import SQLKit

/// The "this was not me" links already used (`AddressRevert`).
struct CreateRevertsUsed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await AddressRevert.create(table: OwnAccounts.tables.revertsUsed, on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: OwnAccounts.tables.revertsUsed).ifExists().run()
    }
}
