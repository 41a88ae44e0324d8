import Fluent
import JobQueue
import SQLKit

/// The leadership row that lets one worker among all hosts run the rescuer and the pruner at a time.
struct CreateJobLeaders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await OwnAccounts.tables.queue.createLeaders(on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: OwnAccounts.tables.queue.leaders).ifExists().run()
    }
}
