import Foundation
@testable import JobQueue
import NIOConcurrencyHelpers
import SQLKit
import Testing

struct QueueTests {
    @Test func aRolledBackTransactionLeavesNoJobAndACommittedOneDoes() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            try await sql.raw("BEGIN").run()
            try await queue.enqueue(Greeting.self, .init(name: "rolled back"), on: sql)
            try await sql.raw("ROLLBACK").run()
            #expect(try await jobs(in: sql).isEmpty)

            try await sql.raw("BEGIN").run()
            try await queue.enqueue(Greeting.self, .init(name: "committed"), on: sql)
            try await sql.raw("COMMIT").run()
            let stored = try await jobs(in: sql)
            #expect(stored.map(\.payload) == [#"{"name":"committed"}"#])
            #expect(stored.first?.state == .available)
        }
    }

    @Test func aUniqueKeyCoalescesWhileTheJobIsStillAvailable() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            let first = try await queue.enqueue(Greeting.self, .init(name: "a"), on: sql, uniqueKey: "user:1")
            let second = try await queue.enqueue(Greeting.self, .init(name: "b"), on: sql, uniqueKey: "user:1")
            #expect(first == second)
            #expect(try await jobs(in: sql).map(\.payload) == [#"{"name":"b"}"#])
            _ = try await queue.claim(limit: 1, worker: "w")
            let third = try await queue.enqueue(Greeting.self, .init(name: "c"), on: sql, uniqueKey: "user:1")
            #expect(third != first, "a running job is not rewritten; a new one is queued")
            try await queue.enqueue(Greeting.self, .init(name: "other"), on: sql, uniqueKey: "user:2")
            #expect(try await jobs(in: sql).count == 3)
        }
    }

    @Test func concurrentClaimersNeverGetTheSameJob() async throws {
        try await withQueueDatabase { database in
            let producer = try await database.connection()
            let queue = JobQueue(database: producer)
            for index in 0..<300 {
                try await queue.enqueue(Greeting.self, .init(name: "\(index)"), on: producer)
            }
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for claimer in 0..<4 {
                    let connection = try await database.connection()
                    group.addTask {
                        let claimerQueue = JobQueue(database: connection)
                        var mine: [Int64] = []
                        while true {
                            let batch = try await claimerQueue.claim(limit: 3, worker: "claimer-\(claimer)")
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 300)
            #expect(Set(claimed).count == 300)
            #expect(try await jobs(in: producer).allSatisfy { $0.state == .running && $0.attempt == 1 })
        }
    }

    @Test func aJobWhoseLeaseExpiredRunsAgain() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let clock = TestClock()
            var configuration = JobQueue.Configuration()
            configuration.leaseSeconds = 30
            let queue = JobQueue(database: sql, configuration: configuration, now: { clock.now })
            try await queue.enqueue(Greeting.self, .init(name: "orphan"), on: sql)
            let held = try #require(try await queue.claim(limit: 1, worker: "dead-worker").first)
            clock.advance(seconds: 29)
            #expect(try await queue.rescueExpiredLeases() == 0)
            #expect(try await queue.claim(limit: 1, worker: "other").isEmpty)
            clock.advance(seconds: 2)
            #expect(try await queue.rescueExpiredLeases() == 1)
            let again = try #require(try await queue.claim(limit: 1, worker: "other").first)
            #expect(again.id == held.id && again.attempt == 2)
            #expect(try await queue.complete(held, worker: "dead-worker") == false, "the dead worker's late completion is refused")
            #expect(try await queue.complete(again, worker: "other"))
        }
    }

    @Test func transientFailuresBackOffExponentiallyThenTheJobIsDead() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let clock = TestClock()
            var configuration = JobQueue.Configuration()
            configuration.maxAttempts = 4
            configuration.backoff = Backoff(base: 10, cap: 25)
            let queue = JobQueue(database: sql, configuration: configuration, now: { clock.now }, jitter: { 1 })
            try await queue.enqueue(Greeting.self, .init(name: "flaky"), on: sql)
            var delays: [Int64] = []
            for attempt in 1...4 {
                let job = try #require(try await queue.claim(limit: 1, worker: "w").first)
                #expect(job.attempt == attempt)
                let state = try await queue.fail(job, worker: "w", error: "451 try again (attempt \(attempt))", permanent: false)
                let row = try #require(try await jobs(in: sql).first)
                if attempt < 4 {
                    #expect(state == .available)
                    delays.append(row.runAt - clock.now.millisecondsSince1970)
                    #expect(try await queue.claim(limit: 1, worker: "w").isEmpty, "not due before its backoff")
                    clock.advance(seconds: Double(delays.last!) / 1000)
                } else {
                    #expect(state == .dead)
                    #expect(row.state == .dead && row.lastError == "451 try again (attempt 4)" && row.finishedAt != nil)
                }
            }
            #expect(delays == [10_000, 20_000, 25_000], "base·2^(n-1), capped")
        }
    }

    @Test func jitterKeepsEachDelayBetweenHalfAndAllOfItsCeiling() {
        let backoff = Backoff(base: 2, cap: 3600)
        for attempt in 1...15 {
            let ceiling = backoff.ceiling(afterAttempt: attempt)
            #expect(ceiling == min(3600, 2 * pow(2, Double(attempt - 1))))
            for _ in 0..<50 {
                let delay = backoff.delay(afterAttempt: attempt)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
            }
        }
    }

    @Test func aPermanentFailureIsDeadAtOnceAndCanBeRetried() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let queue = JobQueue(database: sql)
            let id = try await queue.enqueue(Greeting.self, .init(name: "refused"), on: sql)
            let job = try #require(try await queue.claim(limit: 1, worker: "w").first)
            #expect(try await queue.fail(job, worker: "w", error: "550 no such user", permanent: true) == .dead)
            #expect(try await queue.countsByState() == [.available: 0, .running: 0, .completed: 0, .dead: 1])
            #expect(try await queue.list(state: .dead, limit: 10).map(\.lastError) == ["550 no such user"])
            #expect(try await queue.retryDead(ids: [id, 999]) == [id])
            let again = try #require(try await queue.claim(limit: 1, worker: "w").first)
            #expect(again.attempt == 1)
        }
    }

    @Test func completedJobsArePrunedAfterTheRetention() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            let clock = TestClock()
            var configuration = JobQueue.Configuration()
            configuration.completedRetentionSeconds = 3600
            let queue = JobQueue(database: sql, configuration: configuration, now: { clock.now })
            for name in ["a", "b"] { try await queue.enqueue(Greeting.self, .init(name: name), on: sql) }
            let claimed = try await queue.claim(limit: 2, worker: "w")
            try await queue.complete(claimed[0], worker: "w")
            clock.advance(seconds: 3599)
            #expect(try await queue.pruneCompleted() == 0)
            clock.advance(seconds: 2)
            #expect(try await queue.pruneCompleted() == 1)
            #expect(try await jobs(in: sql).map(\.state) == [.running])
        }
    }
}
