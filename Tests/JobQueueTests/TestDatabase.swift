import Foundation
import JobQueue
import Logging
import NIOConcurrencyHelpers
import SQLiteKit
import SQLKit

/// Real SQLite files, one per test; each `connection()` is a separate connection to the same file, as separate
/// workers or processes would have.
final class TestDatabase: Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-\(UUID().uuidString).sqlite").path
    private let connections = NIOLockedValueBox<[SQLiteConnection]>([])

    static func make() async throws -> TestDatabase {
        let database = TestDatabase()
        let sql = try await database.connection()
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await JobsTable.create(on: sql)
        return database
    }

    func connection() async throws -> any SQLDatabase {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "test.sqlite"))
        connections.withLockedValue { $0.append(connection) }
        return connection.sql()
    }

    func close() async {
        for connection in connections.withLockedValue({ $0 }) { try? await connection.close() }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

func withQueueDatabase(_ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make()
    do { try await body(database) } catch {
        await database.close()
        throw error
    }
    await database.close()
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLockedValue { $0 } }
    func advance(seconds: Double) { current.withLockedValue { $0 += seconds } }
}

struct Greeting: Job {
    struct Payload: Codable, Sendable, Equatable { var name: String }
    static let kind = "greeting"

    let performed: NIOLockedValueBox<[String]>
    var behaviour: @Sendable (Payload) async throws -> Void = { _ in }

    func perform(_ payload: Payload, context: JobContext) async throws {
        try await behaviour(payload)
        performed.withLockedValue { $0.append(payload.name) }
    }
}

func jobs(in database: any SQLDatabase) async throws -> [JobRecord] {
    try await database.raw("SELECT * FROM jobs ORDER BY id").all(decoding: JobRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
}
