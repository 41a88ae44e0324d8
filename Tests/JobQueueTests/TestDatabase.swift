import Foundation
import JobQueue
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import SQLiteKit
import SQLKit
import TestSupport
import PostgresKit

/// A real database of its own for each test: a fresh SQLite file, or a fresh PostgreSQL database when
/// `TEST_DATABASE_URL` names a server. Each `connection()` is a separate connection, as separate workers or
/// processes would have.
final class TestDatabase: Sendable {
    private let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-\(UUID().uuidString).sqlite").path
    private let postgresURL: String?
    private let closers = NIOLockedValueBox<[@Sendable () async -> Void]>([])

    private init(postgresURL: String?) {
        self.postgresURL = postgresURL
    }

    static func make() async throws -> TestDatabase {
        let database = TestDatabase(postgresURL: ScratchPostgres.serverURL == nil ? nil : try await ScratchPostgres.create())
        let sql = try await database.connection()
        if sql.dialect.name == "sqlite" { try await sql.raw("PRAGMA journal_mode=WAL").run() }
        try await QueueSchema().create(on: sql)
        return database
    }

    func connection() async throws -> any SQLDatabase {
        if let postgresURL {
            let connection = try await ScratchPostgres.connect(postgresURL)
            closers.withLockedValue { $0.append { try? await connection.close() } }
            return connection.sql()
        }
        let connection = LentSQLiteConnection(path: sqlitePath, on: MultiThreadedEventLoopGroup.singleton.any())
        closers.withLockedValue { $0.append { await connection.close() } }
        return connection
    }

    func close() async {
        for close in closers.withLockedValue({ $0 }) { await close() }
        if let postgresURL { await ScratchPostgres.drop(postgresURL) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
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
    try await database.raw("SELECT * FROM jobs ORDER BY id").all(decoding: JobRecord.self)
}
