import ArgumentParser
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// What an operator reads and relies on: error lines that do not flood, request ids that cannot be forged into
/// the log, readiness that fails when the page or a template is missing.
struct OperatorTests {
    @Test func identicalLinesAreLetThroughOncePerIntervalWithACount() {
        let filter = RepeatedLineFilter(interval: 10)
        var admitted: [(second: Int, dropped: Int)] = []
        for second in 0..<25 {
            for _ in 0..<100 { if let dropped = filter.admit("database unavailable: refused", now: Double(second)) { admitted.append((second, dropped)) } }
        }
        #expect(admitted.map(\.second) == [0, 10, 20])
        #expect(admitted.map(\.dropped) == [0, 999, 999])
        #expect(filter.admit("request failed: another", now: 24) == 0, "another message has its own count")
        #expect(RepeatedLineFilter.repeats("Opening new connection for pool failed") && !RepeatedLineFilter.repeats("job failed"))
    }

    /// Through the log handler: the driver's per-request line is written once, later with the count.
    @Test func theLogHandlerDropsRepeatsOfTheDriversConnectionFailures() {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "meiduo.test") { label in
            SafeLogHandler(StructuredLogHandler(label: label, format: .logfmt, level: .debug, write: { line in lines.withLockedValue { $0.append(line) } }))
        }
        let unique = "request failed: \(UUID().uuidString)"
        for _ in 0..<50 { logger.error("\(unique)") }
        for job in 0..<3 { logger.warning("job failed", metadata: ["job": "\(job)"]) }
        #expect(lines.withLockedValue { $0 }.count == 4, "one failure line and every job line")
    }

    @Test func onlyShortPlainRequestIdsAreKept() {
        #expect(RequestLogMiddleware.acceptableRequestID("3f2a9c1e-7b4d-4e8a-9f00-1c2d3e4f5a6b"))
        #expect(RequestLogMiddleware.acceptableRequestID("req_42.a"))
        for forged in ["", String(repeating: "a", count: 65), "a b", "id\nforged", "id=1 status=200", "美多"] {
            #expect(!RequestLogMiddleware.acceptableRequestID(forged), "\(forged)")
        }
    }

    @Test func clientsAreMaskedInRateLimitLines() {
        #expect(ClientAddress.masked("198.51.100.77") == "198.51.100.x")
        #expect(ClientAddress.masked("2001:db8:0:1::/64") == "2001:db8:0:1::/64")
        #expect(ClientAddress.masked("unknown") == "unknown")
    }

    @Test func aMissingPageOrTemplateIsNotReady() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("meiduo-empty-\(UUID().uuidString)").path + "/"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        try await withMeiduo({ $0.publicDirectory = empty }) { app in
            let ready = try await APIClient(app: app).send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.string == #"{"message":"templates or page missing"}"#)
            #expect(DeploymentFiles.missing(app.services.settings) == [empty + "success_verify_email.html"])
        }
        try await withMeiduo { app in
            let ready = try await APIClient(app: app).send(.get, "/readyz")
            #expect(ready.status == .ok)
        }
    }

    /// The command lines of the previous release parse to the same commands and flags; `--help` is answered by the
    /// parser before any command runs (so it sets nothing up), and `settings` is the one command without a runtime.
    @Test func commandLinesParseAsBefore() throws {
        #expect(try MeiduoCommand.parseAsRoot([]) is ServeCommand, "serve when no command is named")
        let serve = try #require(try MeiduoCommand.parseAsRoot(["serve", "--no-worker", "-H", "0.0.0.0", "--port", "8081", "--env", "production"]) as? ServeCommand)
        #expect(serve.noWorker && serve.hostname == "0.0.0.0" && serve.port == 8081 && serve.options.production)
        let worker = try #require(try MeiduoCommand.parseAsRoot(["worker", "-c", "8", "--metrics-port", "9101", "--queue", "bulk"]) as? WorkerCommand)
        #expect(worker.concurrency == 8 && worker.metricsPort == 9101 && worker.queue == "bulk" && !worker.options.production)
        #expect(try (MeiduoCommand.parseAsRoot(["migrate", "--yes"]) as? MigrateCommand)?.yes == true)
        #expect(try (MeiduoCommand.parseAsRoot(["jobs", "retry", "12,13"]) as? JobsCommand.Retry)?.jobs == "12,13")
        #expect(try (MeiduoCommand.parseAsRoot(["jobs", "list", "--state", "dead", "--limit", "20"]) as? JobsCommand.List)?.state == "dead")
        #expect(try (MeiduoCommand.parseAsRoot(["mail", "status", "a@b.test"]) as? MailCommand.Status)?.address == "a@b.test")
        #expect(try (MeiduoCommand.parseAsRoot(["suppressions", "remove", "a@b.test"]) as? SuppressionsCommand.Remove)?.address == "a@b.test")
        #expect(try (MeiduoCommand.parseAsRoot(["bounces", "--port", "2526"]) as? BouncesCommand)?.port == 2526)
        #expect(try (MeiduoCommand.parseAsRoot(["send-test-mail", "--to", "a@b.test"]) as? SendTestMailCommand)?.to == "a@b.test")
        #expect(try MeiduoCommand.parseAsRoot(["settings", "--markdown"]) is SettingsCommand)
        for help in [["--help"], ["serve", "--help"], ["worker", "-h"]] {
            let parsed = try MeiduoCommand.parseAsRoot(help)
            #expect("\(type(of: parsed))" == "HelpCommand", "\(help) is answered by the parser's own help command, not ours")
        }
        #expect(throws: (any Error).self) { try MeiduoCommand.parseAsRoot(["serve", "--no-such-flag"]) }
    }
}
