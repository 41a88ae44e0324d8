import Fluent
import JobQueue
import SQLKit

/// The job queue's table, and the time each user's last verification mail was queued (for the resend throttle).
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await JobsTable.create(on: database as! any SQLDatabase)
        try await database.schema(User.schema).field("verification_queued_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("verification_queued_at").update()
        try await JobsTable.drop(on: database as! any SQLDatabase)
    }
}
