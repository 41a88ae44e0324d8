// Claim throughput of the job queue on PostgreSQL: N no-op jobs worked off by W workers, each on its own
// connection with S slots. Run by bench/queue (release build); prints one summary line.
//   JobQueueBench DATABASE_URL [jobs] [workers] [slots]
import Foundation
import JobQueue
import Logging
import PostgresKit

struct NoOp: Job {
    struct Payload: Codable, Sendable {}
    static let kind = "noop"
    func perform(_ payload: Payload, context: JobContext) async throws {}
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: JobQueueBench DATABASE_URL [jobs] [workers] [slots]\n".utf8))
    exit(2)
}
let url = arguments[1]
let jobCount = arguments.count > 2 ? Int(arguments[2])! : 20_000
let workerCount = arguments.count > 3 ? Int(arguments[3])! : 4
let slots = arguments.count > 4 ? Int(arguments[4])! : 4
var logger = Logger(label: "bench")
logger.logLevel = .warning

func connect() async throws -> PostgresConnection {
    try await PostgresConnection.connect(configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, id: 1, logger: logger)
}

// In a function rather than at top level: there, SQLKit's EventLoopFuture overloads win over the async ones.
@MainActor func measure() async throws {
    let setup = try await connect()
    let sql = setup.sql()
    try await QueueSchema().create(on: sql)
    try await sql.raw("TRUNCATE jobs").run()
    try await sql.raw("""
        INSERT INTO jobs (queue, kind, payload, state, attempt, max_attempts, run_at, created_at)
        SELECT 'default', 'noop', '{}', 'available', 0, 10, 0, 0 FROM generate_series(1, \(bind: jobCount))
        """).run()

    var registry = JobRegistry()
    registry.register(NoOp())
    var configuration = Worker.Configuration()
    configuration.concurrency = slots
    var connections: [PostgresConnection] = []
    var workers: [Worker] = []
    for _ in 0..<workerCount {
        let connection = try await connect()
        connections.append(connection)
        workers.append(Worker(queue: JobQueue(database: connection.sql()), registry: registry, configuration: configuration, logger: logger))
    }

    let started = ContinuousClock.now
    workers.forEach { $0.start() }
    while true {
        let row: (any SQLRow)? = try await sql.raw("SELECT count(*) AS done FROM jobs WHERE state = 'completed'").first()
        if try row!.decode(column: "done", as: Int.self) >= jobCount { break }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    let elapsed = started.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    for worker in workers { await worker.shutdown() }
    for connection in connections { try await connection.close() }
    try await setup.close()
    print(String(format: "claim throughput: %.0f jobs/s (%d no-op jobs, %d workers x %d slots, %.2f s)",
                 Double(jobCount) / seconds, jobCount, workerCount, slots, seconds))
}

try await measure()
