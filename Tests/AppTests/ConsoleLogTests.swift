import Logging
import NIOConcurrencyHelpers
import Testing

@testable import API
@testable import App

/// The console lines, as the previous release's (Vapor's console logger) wrote them, which operators and the test
/// scripts read: `[ LEVEL ] message [key: value, …]`.
struct ConsoleLogTests {
    static func lines(level: Logger.Level, colours: Bool = false, _ log: (Logger) -> Void) -> [String] {
        let written = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "meiduo.test") { label in
            ConsoleLogHandler(label: label, level: level, colours: colours, write: { line in written.withLockedValue { $0.append(line) } })
        }
        log(logger)
        return written.withLockedValue { $0 }
    }

    @Test func aLineIsTheLevelTheMessageAndTheMetadataSortedByKey() {
        let lines = Self.lines(level: .info) { logger in
            logger.info("GET /healthz", metadata: ["status": "200", "client": "127.0.0.1", "request-id": "r1", "latency_ms": "1.0"])
            logger.notice("Server started on http://127.0.0.1:8080")
            logger.debug("not written at info")
            logger.error("request failed: PostgreSQL error", metadata: ["codes": .array(["a", "b"])])
        }
        #expect(lines == [
            "[ INFO ] GET /healthz [client: 127.0.0.1, latency_ms: 1.0, request-id: r1, status: 200]\n",
            "[ NOTICE ] Server started on http://127.0.0.1:8080\n",
            "[ ERROR ] request failed: PostgreSQL error [codes: [a, b]]\n",
        ])
    }

    @Test func atDebugTheSourceFollowsAndAtTraceTheLabelLeads() throws {
        let debug = Self.lines(level: .debug) { $0.debug("configured", metadata: ["database": "sqlite"]) }
        let line = try #require(debug.first)
        #expect(line.hasPrefix("[ DEBUG ] configured [database: sqlite] (") && line.contains("ConsoleLogTests.swift:"))
        let trace = Self.lines(level: .trace) { $0.trace("claimed") }
        #expect(trace.first?.hasPrefix("[ meiduo.test ] [ TRACE ] claimed (") == true)
    }

    @Test func onATerminalOnlyTheLevelIsColoured() {
        let lines = Self.lines(level: .info, colours: true) { $0.warning("slow") }
        #expect(lines == ["\u{1B}[33m[ WARNING ]\u{1B}[0m slow\n"])
    }
}
