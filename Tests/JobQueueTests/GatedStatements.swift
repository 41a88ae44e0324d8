import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// The test's database, except that once its gate is armed the statements the gate matches wait at it until
/// `release()` before they reach the database: a claim still in flight when the worker is told to stop, say.
struct GatedStatements: SQLDatabase {
    final class Gate: Sendable {
        private let matches: @Sendable (String) -> Bool
        private let state = NIOLockedValueBox<(armed: Bool, waiting: [CheckedContinuation<Void, Never>], open: Bool)>((false, [], false))

        init(matching matches: @escaping @Sendable (String) -> Bool) {
            self.matches = matches
        }

        /// The worker's claim: `UPDATE … SET state = 'running' … WHERE id IN (SELECT id …)`.
        static func claims() -> Gate { Gate { $0.hasPrefix("UPDATE") && $0.contains("SET state = 'running'") } }

        /// The worker's record of finished jobs: `UPDATE … SET state = 'completed'`.
        static func completions() -> Gate { Gate { $0.hasPrefix("UPDATE") && $0.contains("SET state = 'completed'") } }

        func arm() { state.withLockedValue { $0.armed = true } }

        /// Whether a statement is held at the gate now.
        var holdsAStatement: Bool { state.withLockedValue { !$0.waiting.isEmpty } }

        func release() {
            let waiting = state.withLockedValue { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            waiting.forEach { $0.resume() }
        }

        func pass(_ sql: String) async {
            guard matches(sql) else { return }
            await withCheckedContinuation { continuation in
                let passes = state.withLockedValue { state in
                    guard state.armed && !state.open else { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if passes { continuation.resume() }
            }
        }
    }

    let base: any SQLDatabase
    let gate: Gate

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        await gate.pass(serialize(query).sql)
        try await base.execute(sql: query, onRow)
    }
}

/// Keeps the messages logged at warning and above, for a test to read.
final class WarningLines: LogHandler, Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var messages: [String] { lines.withLockedValue { $0 } }

    var logLevel: Logger.Level {
        get { .warning }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append("\(event.message)") }
    }
}
