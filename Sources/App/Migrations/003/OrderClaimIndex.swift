import Fluent
import JobQueue
import SQLKit
import Verification

/// Databases made by the first release get the claim index in the claim's order (see `QueueSchema.createClaimIndex`).
struct OrderClaimIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await OwnAccounts.tables.queue.replaceUnorderedClaimIndex(on: database.sql)
    }

    /// Nothing to undo: the ordered index serves the first release's claim as well.
    func revert(on database: any Database) async throws {}
}
