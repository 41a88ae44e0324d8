import Foundation
import JobQueue
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing

struct WorkerTests {
    static func worker(_ queue: JobQueue, _ job: Greeting, concurrency: Int = 4, prefetch: Int? = nil, grace: Double = 30,
                       maintenanceInterval: Double = 15, timeout: Double = 300, renewal: Double? = nil,
                       logger: Logger = Logger(label: "test.worker")) -> Worker {
        var registry = JobRegistry()
        registry.register(job)
        var configuration = Worker.Configuration()
        configuration.concurrency = concurrency
        configuration.prefetch = prefetch
        configuration.pollIntervalSeconds = 0.05
        configuration.shutdownGraceSeconds = grace
        configuration.maintenanceIntervalSeconds = maintenanceInterval
        configuration.jobTimeoutSeconds = timeout
        configuration.leaseRenewalSeconds = renewal
        return Worker(queue: queue, registry: registry, configuration: configuration, logger: logger)
    }

    /// Polls until `condition` holds, for at most `seconds`.
    static func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    @Test func everyJobRunsOnceAndOneFailingJobBlocksNoOther() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            var configuration = JobQueue.Configuration()
            configuration.maxAttempts = 2
            configuration.backoff = Backoff(base: 0.01, cap: 0.01)
            let queue = JobQueue(database: sql, configuration: configuration)
            let performed = NIOLockedValueBox<[String]>([])
            let job = Greeting(performed: performed) { payload in
                if payload.name == "poison" { throw PermanentJobError("refused: \(payload.name)") }
                if payload.name == "flaky" { throw URLError(.timedOut) }
            }
            try await queue.enqueue(Greeting.self, .init(name: "poison"), on: sql)
            try await queue.enqueue(Greeting.self, .init(name: "flaky"), on: sql)
            for index in 0..<40 { try await queue.enqueue(Greeting.self, .init(name: "job-\(index)"), on: sql) }
            let worker = Self.worker(queue, job)
            worker.start()
            #expect(try await Self.eventually { try await queue.countsByState()[.completed] == 40 })
            #expect(try await Self.eventually { try await queue.countsByState()[.dead] == 2 })
            await worker.shutdown()
            #expect(performed.withLockedValue { $0 }.sorted() == (0..<40).map { "job-\($0)" }.sorted())
            let dead = try await queue.list(state: .dead, limit: 10)
            #expect(Set(dead.map(\.attempt)) == [1, 2], "the permanent failure died on its first attempt, the transient one on its last")
        }
    }

    @Test func aJobOfAnUnknownKindGoesDeadWithItsReason() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            try await sql.raw("""
                INSERT INTO jobs (queue, kind, payload, state, attempt, max_attempts, run_at, created_at)
                VALUES ('default', 'no-such-kind', '{}', 'available', 0, 5, 0, 0)
                """).run()
            try await queue.enqueue(Greeting.self, .init(name: "fine"), on: sql)
            let worker = Self.worker(queue, Greeting(performed: .init([])))
            worker.start()
            #expect(try await Self.eventually { try await queue.countsByState()[.completed] == 1 })
            #expect(try await Self.eventually { try await queue.countsByState()[.dead] == 1 })
            await worker.shutdown()
            #expect(try await queue.list(state: .dead, limit: 1).first?.lastError == "no handler is registered for job kind no-such-kind")
        }
    }

    @Test func aWakeUpStartsAnIdleWorkerBeforeItsPollInterval() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            let performed = NIOLockedValueBox<[String]>([])
            var registry = JobRegistry()
            registry.register(Greeting(performed: performed))
            var configuration = Worker.Configuration()
            configuration.pollIntervalSeconds = 60
            let worker = Worker(queue: queue, registry: registry, configuration: configuration, logger: Logger(label: "test"))
            worker.start()
            try await Task.sleep(nanoseconds: 200_000_000)
            try await queue.enqueue(Greeting.self, .init(name: "now"), on: sql)
            queue.wakeUp.signal()
            #expect(try await Self.eventually(seconds: 5) { performed.withLockedValue { $0 } == ["now"] })
            await worker.shutdown()
        }
    }

    @Test func gracefulShutdownFinishesRunningJobsAndLeavesNoneRunning() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            let performed = NIOLockedValueBox<[String]>([])
            let slow = Greeting(performed: performed) { _ in try await Task.sleep(nanoseconds: 300_000_000) }
            for index in 0..<20 { try await queue.enqueue(Greeting.self, .init(name: "slow-\(index)"), on: sql) }
            let worker = Self.worker(queue, slow, concurrency: 3, prefetch: 2)
            worker.start()
            // Three run, two more are claimed and held ready.
            #expect(try await Self.eventually { try await queue.countsByState()[.running] == 5 })
            await worker.shutdown()
            let counts = try await queue.countsByState()
            #expect(counts[.running] == 0)
            #expect(counts[.completed]! >= 3, "the jobs running at shutdown were finished")
            #expect(counts[.completed]! + counts[.available]! == 20, "the jobs held ready were given back")
            let given = try await jobs(in: sql).filter { $0.state == .available }
            #expect(given.allSatisfy { $0.attempt == 0 && $0.lockedBy == nil })
        }
    }

    /// A claim still in flight when the worker is told to stop returns a job: the job is given back, not started.
    /// Started, its completion was recorded by no one until the grace period ran out, and the worker took that long
    /// to stop.
    @Test func aJobClaimedAfterTheStopIsGivenBackNotStarted() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let gate = GatedStatements.Gate.claims()
            let queue = JobQueue(database: GatedStatements(base: sql, gate: gate))
            let performed = NIOLockedValueBox<[String]>([])
            let worker = Self.worker(queue, Greeting(performed: performed), concurrency: 1, grace: 30)
            worker.start()
            gate.arm()
            try await queue.enqueue(Greeting.self, .init(name: "late"), on: sql)
            #expect(try await Self.eventually { gate.holdsAStatement })
            let stopping = Task { await worker.shutdown() }
            try await Task.sleep(nanoseconds: 200_000_000)
            gate.release()
            await stopping.value
            #expect(performed.withLockedValue { $0 }.isEmpty, "claimed after the stop, not started")
            let job = try #require(try await jobs(in: sql).first)
            #expect(job.state == .available && job.attempt == 0 && job.lockedBy == nil, "given back without spending an attempt")
        }
    }

    /// A job that finishes while the completions before it are being recorded, after the stop, is recorded too: the
    /// completer does not leave it behind, and the worker stops without waiting out its grace period.
    @Test func aJobFinishingWhileCompletionsAreRecordedIsRecordedBeforeTheStop() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let gate = GatedStatements.Gate.completions()
            let queue = JobQueue(database: GatedStatements(base: sql, gate: gate))
            let lastMayFinish = NIOLockedValueBox(false)
            let performed = NIOLockedValueBox<[String]>([])
            let job = Greeting(performed: performed) { payload in
                while payload.name == "last" && !lastMayFinish.withLockedValue({ $0 }) { try await Task.sleep(nanoseconds: 10_000_000) }
            }
            let warnings = WarningLines()
            let worker = Self.worker(queue, job, concurrency: 2, grace: 30, logger: Logger(label: "test.worker") { _ in warnings })
            gate.arm()
            try await queue.enqueue(Greeting.self, .init(name: "first"), on: sql)
            try await queue.enqueue(Greeting.self, .init(name: "last"), on: sql)
            worker.start()
            // "first" is done and its completion is being recorded (held at the gate) while "last" still runs.
            #expect(try await Self.eventually { gate.holdsAStatement })
            let done = NIOLockedValueBox(false)
            let stopping = Task {
                await worker.shutdown()
                done.withLockedValue { $0 = true }
            }
            try await Task.sleep(nanoseconds: 100_000_000)
            lastMayFinish.withLockedValue { $0 = true }
            #expect(try await Self.eventually { performed.withLockedValue { $0.count } == 2 })
            try await Task.sleep(nanoseconds: 100_000_000)
            gate.release()
            let stopped = try await Self.eventually(seconds: 10) { done.withLockedValue { $0 } }
            #expect(stopped, "the worker stops without waiting out its 30 s grace period")
            await stopping.value
            #expect(!warnings.messages.contains { $0.contains("grace period over") })
            #expect(try await queue.countsByState()[.completed] == 2)
        }
    }

    @Test func jobsStillRunningAfterTheGracePeriodAreGivenBack() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            let stuck = Greeting(performed: .init([])) { _ in try await Task.sleep(nanoseconds: 60_000_000_000) }
            try await queue.enqueue(Greeting.self, .init(name: "stuck"), on: sql)
            let worker = Self.worker(queue, stuck, concurrency: 1, grace: 0.2)
            worker.start()
            #expect(try await Self.eventually { try await queue.countsByState()[.running] == 1 })
            await worker.shutdown()
            let job = try #require(try await jobs(in: sql).first)
            #expect(job.state == .available && job.attempt == 0, "released without spending an attempt")
        }
    }

    /// The database refuses just as a job finishes (its table renamed away for half a second): the completion is
    /// recorded once it answers again. The queue's clock stands still, so no lease expires: a completion that was
    /// dropped would leave the job running for good.
    @Test func aCompletionTheDatabaseRefusedIsRecordedOnceItAnswers() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let admin = try await database.connection()
            let now = Date()
            let queue = JobQueue(database: sql, now: { now })
            let performed = NIOLockedValueBox<[String]>([])
            let job = Greeting(performed: performed) { _ in
                if performed.withLockedValue({ $0.isEmpty }) { try await admin.raw("ALTER TABLE jobs RENAME TO jobs_away").run() }
            }
            try await queue.enqueue(Greeting.self, .init(name: "once"), on: sql)
            let worker = Self.worker(queue, job, concurrency: 1, maintenanceInterval: 0.05)
            worker.start()
            #expect(try await Self.eventually { performed.withLockedValue { $0 } == ["once"] })
            try await Task.sleep(nanoseconds: 500_000_000)  // completions, claims and maintenance failing meanwhile
            try await admin.raw("ALTER TABLE jobs_away RENAME TO jobs").run()
            #expect(try await Self.eventually(seconds: 60) { try await queue.countsByState()[.completed] == 1 })
            await worker.shutdown()
            #expect(performed.withLockedValue { $0 } == ["once"])
            #expect(try await jobs(in: sql).map(\.attempt) == [1])
        }
    }
}
