import Foundation
import Logging
import SQLKit

/// A durable job queue in one SQL table: enqueue inside the caller's transaction, claim with a lease in one
/// statement, renew the lease while the job runs, retry with backoff, keep dead jobs for inspection. Works on
/// SQLite and PostgreSQL. Every time it writes or compares is read from `clock` inside the statement.
public struct JobQueue: Sendable {
    public struct Configuration: Sendable {
        public var queue = "default"
        public var maxAttempts = 10
        public var backoff = Backoff()
        /// How long a claim or a renewal holds a job; a worker that dies loses its jobs to the rescuer after this.
        public var leaseSeconds: Double = 60
        public var completedRetentionSeconds: Double = 7 * 86_400
        /// Completed jobs deleted per statement when pruning.
        public var pruneBatchSize = 1_000
        /// Told of each job enqueued (for metrics): by `enqueue`, and by `countEnqueued` for a caller's own INSERTs.
        public var onEnqueued: (@Sendable (_ kind: String) -> Void)?
        /// The queue's table names.
        public var tables = QueueSchema()

        public init() {}
    }

    /// The PostgreSQL channel an enqueue notifies, so that idle workers in other processes wake at once.
    public static let notificationChannel = "meiduo_jobs"

    public let configuration: Configuration
    public let database: any SQLDatabase
    /// Wakes this process's workers after a commit; other processes rely on polling (or LISTEN/NOTIFY).
    public let wakeUp = WakeUpSignal()
    private let announcer = JobAnnouncer()
    public let clock: QueueClock
    let jitter: @Sendable () -> Double

    public init(database: any SQLDatabase, configuration: Configuration = .init(), clock: QueueClock = .database,
                jitter: @escaping @Sendable () -> Double = { .random(in: 0...1) }) {
        self.database = database
        self.configuration = configuration
        self.clock = clock
        self.jitter = jitter
    }

    /// A queue whose times are given by `now` rather than the database (tests).
    public init(database: any SQLDatabase, configuration: Configuration = .init(), now: @escaping @Sendable () -> Date,
                jitter: @escaping @Sendable () -> Double = { .random(in: 0...1) }) {
        self.init(database: database, configuration: configuration, clock: .fixed(now), jitter: jitter)
    }

    /// The same queue under another name (the worker's `--queue`).
    public func named(_ name: String) -> JobQueue {
        var configuration = configuration
        configuration.queue = name
        return JobQueue(database: database, configuration: configuration, clock: clock, jitter: jitter)
    }

    var tables: QueueSchema { configuration.tables }

    /// Now, in milliseconds since the Unix epoch, as an expression of this queue's database.
    var now: SQLQueryString { clock.milliseconds(in: database.dialect) }

    /// `now` plus `seconds`.
    func now(plus seconds: Double) -> SQLQueryString {
        "(\(now) + \(bind: Int64((seconds * 1000).rounded())))"
    }

    // MARK: Producing

    /// Adds a job through `database`, which should be the caller's transaction so that the job commits or rolls
    /// back with the caller's own writes. With a `uniqueKey`, a still-available job with that key is updated
    /// (new payload, new run time) rather than duplicated. Call `announce()` after the commit to wake the workers.
    @discardableResult
    public func enqueue<J: Job>(_ job: J.Type, _ payload: J.Payload, on database: any SQLDatabase,
                                uniqueKey: String? = nil, delaySeconds: Double = 0) async throws -> Int64 {
        let insert = try insertion(job, payload, uniqueKey: uniqueKey, delaySeconds: delaySeconds)
        guard let row = try await database.raw(insert).first() else {
            throw JobQueueError("enqueueing a \(J.kind) job returned no row")
        }
        countEnqueued(J.kind)
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Counts a job a caller inserted with `insertion`, once its statement has succeeded.
    public func countEnqueued(_ kind: String) {
        configuration.onEnqueued?(kind)
    }

    /// The INSERT behind `enqueue`, returning the job's `id`, for a caller that writes its own rows and its jobs
    /// in one statement (PostgreSQL's data-modifying `WITH`): with `forEachRowOf`, one job per row of that WITH
    /// query — none when it is empty. Such a caller calls `announce()` once it has committed.
    public func insertion<J: Job>(_ job: J.Type, _ payload: J.Payload, uniqueKey: String? = nil, delaySeconds: Double = 0,
                                  forEachRowOf source: String? = nil) throws -> SQLQueryString {
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        let from: SQLQueryString = source.map { " FROM \(ident: $0)" } ?? ""
        // `WHERE true`: SQLite needs a WHERE to tell an INSERT … SELECT's upsert clause from a join.
        return """
            INSERT INTO \(ident: tables.jobs) (queue, kind, payload, state, attempt, max_attempts, run_at, unique_key, created_at)
            SELECT \(bind: configuration.queue), \(bind: J.kind), \(bind: json), 'available', 0,
                   \(bind: configuration.maxAttempts), \(now(plus: delaySeconds)), \(bind: uniqueKey), \(now)\(from) WHERE true
            ON CONFLICT (unique_key) WHERE state = 'available' AND unique_key IS NOT NULL
            DO UPDATE SET kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at,
                          max_attempts = excluded.max_attempts
            RETURNING id
            """
    }

    /// Wakes this process's workers, and on PostgreSQL every other process's (a NOTIFY on `notificationChannel`,
    /// sent on its own: `JobAnnouncer`). Call it after the transaction that enqueued has committed.
    public func announce() {
        wakeUp.signal()
        guard database.dialect.name == "postgresql" else { return }
        let (database, channel, queue) = (database, Self.notificationChannel, configuration.queue)
        announcer.announce { try await database.raw("SELECT pg_notify(\(bind: channel), \(bind: queue))").run() }
    }

    // MARK: Working

    /// Moves up to `limit` due jobs to `running` under a lease held by `worker`, in one statement.
    public func claim(limit: Int, worker: String) async throws -> [JobRecord] {
        let skipLocked: SQLQueryString = database.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.raw("""
            UPDATE \(ident: tables.jobs) SET state = 'running', attempt = attempt + 1, locked_by = \(bind: worker),
                locked_until = \(now(plus: configuration.leaseSeconds))
            WHERE id IN (
                SELECT id FROM \(ident: tables.jobs)
                WHERE state = 'available' AND queue = \(bind: configuration.queue) AND run_at <= \(now)
                ORDER BY run_at, id LIMIT \(bind: limit)\(skipLocked)
            )
            RETURNING \(unsafeRaw: JobRecord.columns)
            """).all(decoding: JobRecord.self)
    }

    /// Extends the lease on the jobs `worker` still holds among `ids` by a full lease from now; returns those ids.
    public func renew(_ ids: [Int64], worker: String) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try await database.raw("""
            UPDATE \(ident: tables.jobs) SET locked_until = \(now(plus: configuration.leaseSeconds))
            WHERE id IN (\(binds: ids)) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """).all()
        return Set(try rows.map { try $0.decode(column: "id", as: Int64.self) })
    }

    /// Marks a job done; false when `worker` no longer holds it (its lease expired and it was rescued).
    @discardableResult
    public func complete(_ job: JobRecord, worker: String) async throws -> Bool {
        try await complete([job], worker: worker) == 1
    }

    /// Marks many jobs done in one statement; returns how many `worker` still held.
    @discardableResult
    public func complete(_ jobs: [JobRecord], worker: String) async throws -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await database.raw("""
            UPDATE \(ident: tables.jobs) SET state = 'completed', finished_at = \(now), locked_by = NULL, locked_until = NULL
            WHERE id IN (\(binds: jobs.map(\.id))) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """).all().count
    }

    /// Records a failure: a permanent one, or the last allowed attempt, makes the job `dead`; otherwise it becomes
    /// available again after the backoff. Returns the state the job is left in, or nil if `worker` lost it.
    @discardableResult
    public func fail(_ job: JobRecord, worker: String, error: String, permanent: Bool) async throws -> JobState? {
        let dead = permanent || job.attempt >= job.maxAttempts
        let state: JobState = dead ? .dead : .available
        let runAt: SQLQueryString = dead
            ? "run_at"
            : now(plus: configuration.backoff.delay(afterAttempt: job.attempt, random: jitter()))
        let finishedAt: SQLQueryString = dead ? now : "NULL"
        let row = try await database.raw("""
            UPDATE \(ident: tables.jobs) SET state = \(bind: state.rawValue), last_error = \(bind: Self.truncated(error)),
                run_at = \(runAt), finished_at = \(finishedAt), locked_by = NULL, locked_until = NULL
            WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """).first()
        return row == nil ? nil : state
    }

    /// Gives a job back untouched (a worker shutting down before it finished): available now, attempt not spent.
    public func release(_ job: JobRecord, worker: String) async throws {
        try await database.raw("""
            UPDATE \(ident: tables.jobs) SET state = 'available', attempt = attempt - 1, run_at = \(now),
                locked_by = NULL, locked_until = NULL
            WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: worker)
            """).run()
    }

    static func truncated(_ error: String) -> String {
        error.count <= 2000 ? error : String(error.prefix(2000)) + "…"
    }
}

/// A queue operation that could not be carried out, with the reason.
public struct JobQueueError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
