import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import API
@testable import App
@testable import Verification

struct StructuredLogTests {
    static func capture(_ format: StructuredLogHandler.Format, _ body: (inout Logger) -> Void) -> [String] {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "meiduo.test") { label in
            StructuredLogHandler(label: label, format: format, level: .debug, write: { line in lines.withLockedValue { $0.append(line) } })
        }
        body(&logger)
        return lines.withLockedValue { $0 }
    }

    @Test func jsonLinesCarryTheRequestIdAndParse() throws {
        let lines = Self.capture(.json) { logger in
            logger[metadataKey: "request-id"] = "ABC-123"
            logger.info("PUT /email/", metadata: ["user_id": "7", "note": "quote \" and 美多"])
            logger.trace("below the level")
        }
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object["request-id"] == "ABC-123" && object["msg"] == "PUT /email/" && object["level"] == "info")
        #expect(object["note"] == "quote \" and 美多" && object["logger"] == "meiduo.test")
        #expect(object["time"]?.hasSuffix("Z") == true)
    }

    @Test func logfmtQuotesOnlyWhatNeedsIt() {
        let lines = Self.capture(.logfmt) { logger in
            logger.warning("job failed", metadata: ["job": "42", "error": "RCPT TO failed: 550 5.1.1 no=such"])
        }
        #expect(lines.count == 1)
        #expect(lines[0].contains(#" level=warning logger=meiduo.test msg="job failed" error="RCPT TO failed: 550 5.1.1 no=such" job=42"#))
    }

    @Test func anUnknownFormatIsASettingsError() throws {
        #expect(throws: SettingsError.self) { try StructuredLogHandler.Format.bootstrapFromEnvironment(["LOG_FORMAT": "xml"]) }
        #expect(try StructuredLogHandler.Format.bootstrapFromEnvironment(["LOG_FORMAT": "text"]) == false)
    }

    /// Nothing a client sends can start a line of its own or drive a terminal, in any format.
    @Test func controlCharactersAreEscapedInEveryFormat() throws {
        let forged = "/x\n[ CRITICAL ] SECRET_KEY leaked\r\u{1B}[2J"
        for format in [StructuredLogHandler.Format.json, .logfmt] {
            let lines = NIOLockedValueBox<[String]>([])
            var logger = Logger(label: "meiduo.test") { label in
                SafeLogHandler(StructuredLogHandler(label: label, format: format, level: .debug, write: { line in lines.withLockedValue { $0.append(line) } }))
            }
            logger[metadataKey: "request-id"] = "id\nforged"
            logger.info("GET \(forged)", metadata: ["path": "\(forged)"])
            let written = lines.withLockedValue { $0 }.joined()
            #expect(written.filter { $0 == "\n" }.count == 1, "one line, ended by its own newline: \(written)")
            #expect(!written.unicodeScalars.contains { $0.value == 0x1B || $0 == "\r" }, "\(format)")
            #expect(written.contains(#"[ CRITICAL ] SECRET_KEY leaked"#) && written.contains("u{1b}"))
        }
        #expect(SafeLogHandler.escape("a\u{7F}b\u{85}c\td") == #"a\u{7f}b\u{85}c\td"#)
        #expect(SafeLogHandler.escape("美多 plain") == "美多 plain")
    }

    /// The values a statement was given never reach a log: Fluent's `input` and `filters`, SQLKit's `binds`.
    @Test func boundValuesAreRedactedAtEveryLevel() {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "meiduo.test") { label in
            SafeLogHandler(StructuredLogHandler(label: label, format: .logfmt, level: .debug, write: { line in lines.withLockedValue { $0.append(line) } }))
        }
        logger.logLevel = .debug
        logger.debug("Running query", metadata: ["action": "create", "input": ["$2b$12$hash", "a@example.com"],
                                                 "filters": ["users[email] = a@example.com"], "binds": ["secret"]])
        let line = lines.withLockedValue { $0 }.joined()
        #expect(line.contains("action=create") && line.contains("input=<redacted>") && line.contains("binds=<redacted>"))
        #expect(!line.contains("$2b$12$hash") && !line.contains("a@example.com") && !line.contains("secret"))
    }
}
