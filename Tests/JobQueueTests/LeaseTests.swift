import Foundation
import JobQueue
import NIOConcurrencyHelpers
import SQLKit
import Testing

/// Leases on the database's clock: renewed while a job runs, a time limit on each run, and one maintenance leader.
struct LeaseTests {
    static func queue(_ sql: any SQLDatabase, lease: Double, backoff: Double = 0.05) -> JobQueue {
        var configuration = JobQueue.Configuration()
        configuration.leaseSeconds = lease
        configuration.backoff = Backoff(base: backoff, cap: backoff)
        return JobQueue(database: sql, configuration: configuration)
    }

    /// A run more than twice as long as the lease, beside a second worker whose rescuer runs every 0.2 s: the
    /// lease is renewed, nothing is rescued, the job runs once. (The margins allow for SQLite's queries waiting
    /// seconds for the shared blocking thread pool while every other suite runs.)
    @Test func aRunLongerThanItsLeaseKeepsItsLease() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = Self.queue(sql, lease: 6)
            let performed = NIOLockedValueBox<[String]>([])
            let job = Greeting(performed: performed) { _ in try await Task.sleep(nanoseconds: 13_000_000_000) }
            try await queue.enqueue(Greeting.self, .init(name: "slow"), on: sql)
            let workers = [try await database.connection(), try await database.connection()].map {
                WorkerTests.worker(Self.queue($0, lease: 6), job, concurrency: 1, maintenanceInterval: 0.2, renewal: 1)
            }
            workers.forEach { $0.start() }
            #expect(try await WorkerTests.eventually(seconds: 40) { try await queue.countsByState()[.completed] == 1 })
            for worker in workers { await worker.shutdown() }
            #expect(performed.withLockedValue { $0 } == ["slow"])
            #expect(try await jobs(in: sql).map(\.attempt) == [1])
        }
    }

    /// A run past the time limit is cancelled and retried with backoff; the retry completes it.
    @Test func aRunPastTheTimeLimitIsCancelledAndRetried() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = Self.queue(sql, lease: 60)
            let runs = NIOLockedValueBox(0)
            let cancelled = NIOLockedValueBox(false)
            let job = Greeting(performed: .init([])) { _ in
                guard runs.withLockedValue({ $0 += 1; return $0 }) == 1 else { return }
                do { try await Task.sleep(nanoseconds: 30_000_000_000) } catch {
                    cancelled.withLockedValue { $0 = true }
                    throw error
                }
            }
            try await queue.enqueue(Greeting.self, .init(name: "stalls once"), on: sql)
            let worker = WorkerTests.worker(queue, job, concurrency: 1, timeout: 0.3)
            worker.start()
            #expect(try await WorkerTests.eventually { try await queue.countsByState()[.completed] == 1 })
            await worker.shutdown()
            #expect(cancelled.withLockedValue { $0 }, "the first run was cancelled")
            #expect(runs.withLockedValue { $0 } == 2)
            #expect(try await jobs(in: sql).map(\.attempt) == [2])
        }
    }

    /// The database stops answering while a job runs (its table renamed away): the worker cannot renew, and
    /// cancels the run before the lease recorded in the database expires — one renewal interval before, as
    /// counted from when the last renewal that got through was sent.
    @Test func aWorkerThatCannotRenewCancelsItsRunBeforeTheLeaseExpires() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let admin = try await database.connection()
            let queue = Self.queue(sql, lease: 9)
            let cancelledAt = NIOLockedValueBox<Int64?>(nil)
            let job = Greeting(performed: .init([])) { _ in
                // Noted when the worker cancels, even while the rename below still waits for its turn.
                try await withTaskCancellationHandler {
                    try await admin.raw("ALTER TABLE jobs RENAME TO jobs_away").run()
                    try await Task.sleep(nanoseconds: 30_000_000_000)
                } onCancel: {
                    cancelledAt.withLockedValue { $0 = Int64(Date().timeIntervalSince1970 * 1000) }
                }
            }
            try await queue.enqueue(Greeting.self, .init(name: "cut off"), on: sql)
            // A margin of 3 s: the other suites of this process, and the database server, compete for two cores and
            // may starve this one's tasks for seconds. `HeldJobsTests` checks the decision to the instant.
            let worker = WorkerTests.worker(queue, job, concurrency: 1, renewal: 3)
            worker.start()
            #expect(try await WorkerTests.eventually(seconds: 30) { cancelledAt.withLockedValue { $0 } != nil })
            // The database's clock is this host's: SQLite's is the process's, and the PostgreSQL under test is local.
            let leaseEnd = try #require(try await admin.raw("SELECT locked_until FROM jobs_away").first()?
                .decode(column: "locked_until", as: Int64.self))
            try await admin.raw("ALTER TABLE jobs_away RENAME TO jobs").run()
            await worker.shutdown()
            let cancelled = try #require(cancelledAt.withLockedValue { $0 })
            #expect(cancelled < leaseEnd, "cancelled \(leaseEnd - cancelled) ms before the lease ended")
            #expect(leaseEnd - cancelled < 4_500, "not long before the margin of one renewal interval (3 s)")
        }
    }

    /// Three workers on one database: one holds the maintenance leadership (for 3 s, renewed every 1 s); when it
    /// stops, another takes it.
    @Test func oneWorkerAtATimeLeadsMaintenance() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            var workers: [Worker] = []
            for _ in 0..<3 {
                workers.append(WorkerTests.worker(Self.queue(try await database.connection(), lease: 60), Greeting(performed: .init([])),
                                                  maintenanceInterval: 1))
            }
            workers.forEach { $0.start() }
            let holders = { try await sql.raw("SELECT holder FROM job_leaders").all().map { try $0.decode(column: "holder", as: String.self) } }
            #expect(try await WorkerTests.eventually { try await holders().count == 1 })
            try await Task.sleep(nanoseconds: 1_500_000_000)  // every worker has tried at least once more
            let leader = try #require(try await holders().first)
            #expect(workers.contains { $0.id == leader })
            let queue = Self.queue(sql, lease: 60)
            for worker in workers where worker.id != leader {
                let row = try #require(try await sql.raw("SELECT holder, expires_at FROM job_leaders").first())
                let expiresAt = try row.decode(column: "expires_at", as: Int64.self)
                // A leader starved of the CPU past its term may have lost the leadership to this very worker since;
                // holding it again is then a renewal, not a take.
                if try row.decode(column: "holder", as: String.self) == worker.id { continue }
                let taken = try await queue.holdMaintenanceLeadership(worker: worker.id, seconds: 1)
                // The database's clock is this host's. Only a lapsed leadership may be taken (a leader starved of
                // the CPU for its whole term loses it, as it should).
                #expect(!taken || expiresAt < Int64(Date().timeIntervalSince1970 * 1000), "a live leadership was taken")
            }
            await workers.first { $0.id == leader }!.shutdown()
            #expect(try await WorkerTests.eventually { try await holders().first.map { $0 != leader } == true })
            for worker in workers where worker.id != leader { await worker.shutdown() }
        }
    }
}
