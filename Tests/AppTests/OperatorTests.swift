import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import App

/// What an operator reads and relies on: error lines that do not flood, request ids that cannot be forged into
/// the log, readiness that fails when the page or a template is missing.
struct OperatorTests {
    @Test func identicalErrorsAreLoggedOncePerIntervalWithACount() {
        let lines = StructuredLogTests.capture(.logfmt) { logger in
            let log = RepeatedErrorLog(interval: 10)
            for second in 0..<25 {
                for _ in 0..<100 { log.log("database unavailable: refused", level: .warning, metadata: [:], to: logger, now: Double(second)) }
            }
            log.log("request failed: another", level: .error, metadata: [:], to: logger, now: 24)
        }
        #expect(lines.count == 4, "at 0 s, 10 s and 20 s, and the other message: \(lines)")
        #expect(lines[0].contains(#"msg="database unavailable: refused""#) && !lines[0].contains("repeated"))
        #expect(lines[1].contains(#"repeated="999 more since the last line""#))
        #expect(lines[3].contains(#"msg="request failed: another""#))
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
            let ready = try await APIClient(app: app).send(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.string == #"{"message":"templates or page missing"}"#)
            #expect(DeploymentFiles.missing(app.services.settings) == [empty + "success_verify_email.html"])
        }
        try await withMeiduo { app in
            let ready = try await APIClient(app: app).send(.GET, "/readyz")
            #expect(ready.status == .ok)
        }
    }

    @Test func helpAndSettingsTouchNoDatabase() {
        #expect(!CommandLineIntent.touchesDatabase(["meiduo", "--help"]))
        #expect(!CommandLineIntent.touchesDatabase(["meiduo", "serve", "--help"]))
        #expect(!CommandLineIntent.touchesDatabase(["meiduo", "settings", "--markdown"]))
        #expect(CommandLineIntent.touchesDatabase(["meiduo"]))
        #expect(CommandLineIntent.touchesDatabase(["meiduo", "serve", "--port", "8080"]))
        #expect(CommandLineIntent.migrates(["meiduo", "migrate", "--yes"]) && !CommandLineIntent.migrates(["meiduo", "serve"]))
    }
}
