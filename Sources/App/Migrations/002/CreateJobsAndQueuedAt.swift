import Fluent
import JobQueue
import SQLKit
import Verification

/// The job queue's table, and the users' column that records when each one's last verification mail was queued
/// (for the resend throttle).
struct CreateJobsAndQueuedAt: AsyncMigration {
    /// The name the first release recorded it under.
    var name: String { "App.CreateJobs" }

    func prepare(on database: any Database) async throws {
        try await OwnAccounts.tables.queue.create(on: database.sql)
        try await database.schema(OwnAccounts.name).field("verification_queued_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OwnAccounts.name).deleteField("verification_queued_at").update()
        try await OwnAccounts.tables.queue.drop(on: database.sql)
    }
}
