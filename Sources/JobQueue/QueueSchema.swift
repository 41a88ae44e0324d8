import SQLKit

/// The queue's tables, the same on SQLite and PostgreSQL: `jobs`, and `job_leaders` (which worker runs the
/// rescuer and the pruner). In a database shared with another application they, and their indexes, carry a prefix.
/// `create` makes them for this library's own tests and benchmarks; an application's migrations state their own DDL.
public struct QueueSchema: Sendable {
    public let prefix: String

    public init(prefix: String = "") {
        self.prefix = prefix
    }

    public var jobs: String { prefix + "jobs" }
    public var leaders: String { prefix + "job_leaders" }
    private func index(_ name: String) -> SQLIdentifier { SQLIdentifier(prefix + name) }

    public func create(on database: any SQLDatabase) async throws {
        try await database.create(table: jobs).ifNotExists()
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
        try await createClaimIndex(on: database)
        // Coalescing: at most one still-available job per unique key.
        try await database.raw("""
            CREATE UNIQUE INDEX IF NOT EXISTS \(index("jobs_unique_available")) ON \(ident: jobs) (unique_key)
            WHERE state = 'available' AND unique_key IS NOT NULL
            """).run()
        // The rescuer's scan.
        try await database.raw("CREATE INDEX IF NOT EXISTS \(index("jobs_running_lease")) ON \(ident: jobs) (state, locked_until)").run()
        try await createLeaders(on: database)
    }

    /// One row per leadership (`maintenance`): the worker holding it and until when, on the database's clock.
    func createLeaders(on database: any SQLDatabase) async throws {
        try await database.create(table: leaders).ifNotExists()
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("holder", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }

    /// The claim's scan: available jobs of a queue in the claim's exact order (run_at, id), so its LIMIT stops
    /// after the first rows instead of sorting every available job.
    func createClaimIndex(on database: any SQLDatabase) async throws {
        try await database.raw("CREATE INDEX IF NOT EXISTS \(index("jobs_claim_order")) ON \(ident: jobs) (queue, state, run_at, id)").run()
    }
}
