import NIOConcurrencyHelpers
import SQLKit
import Testing

/// The suites share one test connection between a worker's tasks and the test's own reads, so its statements must
/// not overlap on one SQLite handle: with a bare `SQLiteConnection` its 600 reads saw 18–23 rows whose state was NULL.
struct TestDatabaseTests {
    @Test func concurrentReadsAndWritesOnOneConnectionSeeWholeRows() async throws {
        try await withQueueDatabase { database in
            let sql = try await database.connection()
            for index in 0..<200 {
                try await sql.raw("""
                    INSERT INTO jobs (queue, kind, payload, state, attempt, max_attempts, run_at, created_at)
                    VALUES ('default', 'greeting', '{}', \(bind: index % 2 == 0 ? "available" : "completed"), 0, 5, 0, 0)
                    """).run()
            }
            let nullStates = NIOLockedValueBox(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<200 {
                            for row in try await sql.raw("SELECT state, COUNT(*) AS count FROM jobs GROUP BY state").all()
                            where try row.decodeNil(column: "state") {
                                nullStates.withLockedValue { $0 += 1 }
                            }
                        }
                    }
                }
                for writer in 0..<3 {
                    group.addTask {
                        for round in 0..<200 {
                            try await sql.raw("""
                                UPDATE jobs SET state = \(bind: round % 2 == 0 ? "running" : "available"), locked_until = \(bind: round)
                                WHERE id % 3 = \(bind: writer)
                                """).run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(nullStates.withLockedValue { $0 } == 0)
        }
    }
}
