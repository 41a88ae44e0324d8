import FluentKit
import SQLKit
import Verification

/// The job queue's table, and the users' column that records when each one's last verification mail was queued
/// (for the resend throttle). Frozen: the DDL is stated here, never taken from the queue's code.
struct CreateJobsAndQueuedAt: AsyncMigration {
    /// The name the first release recorded it under.
    var name: String { "App.CreateJobs" }

    func prepare(on database: any Database) async throws {
        try await Self.createJobs(prefix: OwnAccounts.servicePrefix, on: database.sql)
        try await database.schema(OwnAccounts.name).field("verification_queued_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OwnAccounts.name).deleteField("verification_queued_at").update()
        try await database.sql.drop(table: OwnAccounts.servicePrefix + "jobs").ifExists().run()
    }

    /// `jobs` (under `prefix`) with its claim, coalescing and rescue indexes; the shop's tables take it too.
    static func createJobs(prefix: String, on sql: any SQLDatabase) async throws {
        let jobs = prefix + "jobs"
        try await sql.create(table: jobs).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("queue", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("payload", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("attempt", type: .int, .notNull)
            .column("max_attempts", type: .int, .notNull)
            .column("run_at", type: .bigint, .notNull)
            .column("locked_by", type: .text)
            .column("locked_until", type: .bigint)
            .column("last_error", type: .text)
            .column("unique_key", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("finished_at", type: .bigint)
            .run()
        try await OrderClaimIndex.createClaimIndex(prefix: prefix, on: sql)
        try await sql.raw("""
            CREATE UNIQUE INDEX IF NOT EXISTS \(ident: prefix + "jobs_unique_available") ON \(ident: jobs) (unique_key)
            WHERE state = 'available' AND unique_key IS NOT NULL
            """).run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: prefix + "jobs_running_lease") ON \(ident: jobs) (state, locked_until)").run()
    }
}
