import SQLKit

/// The rescuer and the pruner, and the leadership that lets one worker among all hosts run them at a time.
extension JobQueue {
    /// The leadership row's name in `job_leaders`.
    static let maintenanceLeadership = "maintenance"

    /// Takes or keeps the maintenance leadership for `worker` for `seconds`, in one statement: true while `worker`
    /// holds it. A leader that stops renewing loses it once `seconds` have passed on the database's clock.
    public func holdMaintenanceLeadership(worker: String, seconds: Double) async throws -> Bool {
        let row = try await database.raw("""
            INSERT INTO \(ident: tables.leaders) (name, holder, expires_at)
            VALUES (\(bind: Self.maintenanceLeadership), \(bind: worker), \(now(plus: seconds)))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE \(ident: tables.leaders).holder = excluded.holder OR \(ident: tables.leaders).expires_at < \(now)
            RETURNING holder
            """).first()
        return row != nil
    }

    /// Gives up the maintenance leadership if `worker` holds it, so that another worker takes it at once.
    public func resignMaintenanceLeadership(worker: String) async throws {
        try await database.raw("""
            DELETE FROM \(ident: tables.leaders) WHERE name = \(bind: Self.maintenanceLeadership) AND holder = \(bind: worker)
            """).run()
    }

    /// Returns jobs whose lease expired (their worker died) to `available`, or to `dead` when that was their last attempt.
    public func rescueExpiredLeases() async throws -> Int {
        try await database.raw("""
            UPDATE \(ident: tables.jobs) SET
                state = CASE WHEN attempt >= max_attempts THEN 'dead' ELSE 'available' END,
                finished_at = CASE WHEN attempt >= max_attempts THEN \(now) ELSE NULL END,
                last_error = 'lease expired: the worker stopped while running the job',
                run_at = \(now), locked_by = NULL, locked_until = NULL
            WHERE state = 'running' AND locked_until < \(now)
            RETURNING id
            """).all().count
    }

    /// Deletes completed jobs older than the retention, `pruneBatchSize` rows per statement, so that a large
    /// backlog never holds a long lock; returns how many it deleted.
    public func pruneCompleted() async throws -> Int {
        let cutoff: SQLQueryString = "(\(now) - \(bind: Int64(configuration.completedRetentionSeconds * 1000)))"
        var total = 0
        while true {
            let deleted = try await database.raw("""
                DELETE FROM \(ident: tables.jobs) WHERE id IN (
                    SELECT id FROM \(ident: tables.jobs) WHERE state = 'completed' AND finished_at < \(cutoff)
                    ORDER BY id LIMIT \(bind: configuration.pruneBatchSize)
                ) RETURNING id
                """).all().count
            total += deleted
            if deleted < configuration.pruneBatchSize { return total }
        }
    }
}
