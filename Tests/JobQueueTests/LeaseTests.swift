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

    /// A run three times as long as the lease, beside a second worker whose rescuer runs every 0.1 s: the lease is
    /// renewed, nothing is rescued, the job runs once.
    @Test func aRunLongerThanItsLeaseKeepsItsLease() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = Self.queue(sql, lease: 0.6)
            let performed = NIOLockedValueBox<[String]>([])
            let job = Greeting(performed: performed) { _ in try await Task.sleep(nanoseconds: 1_800_000_000) }
            try await queue.enqueue(Greeting.self, .init(name: "slow"), on: sql)
            let workers = [try await database.connection(), try await database.connection()].map {
                WorkerTests.worker(Self.queue($0, lease: 0.6), job, concurrency: 1, maintenanceInterval: 0.1, renewal: 0.1)
            }
            workers.forEach { $0.start() }
            #expect(try await WorkerTests.eventually { try await queue.countsByState()[.completed] == 1 })
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
    /// cancels the run before the lease, 1 s from the last renewal, can expire.
    @Test func aWorkerThatCannotRenewCancelsItsRunBeforeTheLeaseExpires() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let admin = try await database.connection()
            let queue = Self.queue(sql, lease: 1)
            let started = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
            let cancelledAfter = NIOLockedValueBox<Duration?>(nil)
            let job = Greeting(performed: .init([])) { _ in
                started.withLockedValue { $0 = .now }
                try await admin.raw("ALTER TABLE jobs RENAME TO jobs_away").run()
                do { try await Task.sleep(nanoseconds: 30_000_000_000) } catch {
                    cancelledAfter.withLockedValue { $0 = started.withLockedValue { $0 }!.duration(to: .now) }
                    throw error
                }
            }
            try await queue.enqueue(Greeting.self, .init(name: "cut off"), on: sql)
            let worker = WorkerTests.worker(queue, job, concurrency: 1, renewal: 0.2)
            worker.start()
            #expect(try await WorkerTests.eventually { cancelledAfter.withLockedValue { $0 } != nil })
            try await admin.raw("ALTER TABLE jobs_away RENAME TO jobs").run()
            await worker.shutdown()
            let after = try #require(cancelledAfter.withLockedValue { $0 })
            #expect(after < .seconds(1), "cancelled \(after) after the claim, within the 1 s lease")
            #expect(after > .milliseconds(500), "not before the margin of one renewal interval")
        }
    }

    /// Three workers on one database: one holds the maintenance leadership; when it stops, another takes it.
    @Test func oneWorkerAtATimeLeadsMaintenance() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            var workers: [Worker] = []
            for _ in 0..<3 {
                workers.append(WorkerTests.worker(Self.queue(try await database.connection(), lease: 60), Greeting(performed: .init([])),
                                                  maintenanceInterval: 0.05))
            }
            workers.forEach { $0.start() }
            let holders = { try await sql.raw("SELECT holder FROM job_leaders").all().map { try $0.decode(column: "holder", as: String.self) } }
            #expect(try await WorkerTests.eventually { try await holders().count == 1 })
            try await Task.sleep(nanoseconds: 300_000_000)
            let leader = try #require(try await holders().first)
            #expect(workers.contains { $0.id == leader })
            let queue = Self.queue(sql, lease: 60)
            for worker in workers where worker.id != leader {
                #expect(try await queue.holdMaintenanceLeadership(worker: worker.id, seconds: 1) == false, "held by the leader")
            }
            await workers.first { $0.id == leader }!.shutdown()
            #expect(try await WorkerTests.eventually { try await holders().first.map { $0 != leader } == true })
            for worker in workers where worker.id != leader { await worker.shutdown() }
        }
    }
}
