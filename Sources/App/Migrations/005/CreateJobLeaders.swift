import Fluent
import JobQueue
import SQLKit
import Verification

/// The leadership row that lets one worker among all hosts run the rescuer and the pruner at a time.
struct CreateJobLeaders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await OwnAccounts.tables.queue.createLeaders(on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.queue.leaders).ifExists().run()
    }
}
