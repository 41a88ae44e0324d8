import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import TestSupport

@testable import SMTPClient

/// The client against real servers on 127.0.0.1: aiosmtpd (STARTTLS + AUTH, implicit TLS, refusals, a stall) and
/// Debian postfix's smtp-sink.
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct LiveServerTests {
    static let message = Array("From: a@example.com\r\nTo: b@example.com\r\nSubject: test\r\n\r\n.a line with a leading dot\r\nbody\r\n".utf8)

    static func configuration(_ server: TestSMTPServer, _ security: SMTPConfiguration.Security,
                              credentials: SMTPCredentials? = nil, timeout: Double = 5) throws -> SMTPConfiguration {
        SMTPConfiguration(host: "localhost", port: server.port, security: security, credentials: credentials, timeout: timeout,
                          extraTrustedCAFile: try TestCertificates.shared().authority)
    }

    @Test func startTLSAndAuthDeliverTheMessageByteForByte() async throws {
        let server = try TestSMTPServer.start(.startTLS(auth: ("meiduo", "s3cret-pass")))
        defer { server.stop() }
        let transcript = NIOLockedValueBox<[String]>([])
        let connection = try await SMTPConnection.connect(
            try Self.configuration(server, .startTLS, credentials: .init(user: "meiduo", password: "s3cret-pass")),
            transcript: { line in transcript.withLockedValue { $0.append(line) } })
        try await connection.send(from: "a@example.com", recipients: ["b@example.com"], data: Self.message)
        await connection.quit()
        let received = try server.received()
        #expect(received.count == 1)
        #expect(received.first?.mailFrom == "a@example.com" && received.first?.recipients == ["b@example.com"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: received[0].file)) == Data(Self.message), "dot-stuffing undone by the server")
        let dialogue = transcript.withLockedValue { $0 }
        #expect(dialogue.contains("C: STARTTLS") && dialogue.contains("TLS started") && dialogue.contains("C: AUTH PLAIN ***"))
        #expect(!dialogue.joined().contains("s3cret-pass"))
        #expect(!dialogue.joined().contains(Data("\0meiduo\0s3cret-pass".utf8).base64EncodedString()))
    }

    @Test func aWrongPasswordIsAPermanentAuthError() async throws {
        let server = try TestSMTPServer.start(.startTLS(auth: ("meiduo", "right")))
        defer { server.stop() }
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPConnection.connect(try Self.configuration(server, .startTLS, credentials: .init(user: "meiduo", password: "wrong")))
        }
        #expect(error?.step == "AUTH" && error?.code == 535 && error?.isTransient == false)
        #expect(error?.description.hasPrefix("AUTH failed: 535 ") == true)
    }

    @Test func implicitTLS() async throws {
        let server = try TestSMTPServer.start(.implicitTLS)
        defer { server.stop() }
        let connection = try await SMTPConnection.connect(try Self.configuration(server, .implicitTLS))
        try await connection.send(from: "a@example.com", recipients: ["b@example.com"], data: Self.message)
        await connection.quit()
        #expect(try server.received().count == 1)
    }

    @Test func anUntrustedCertificateIsRefusedAndNothingIsSent() async throws {
        let server = try TestSMTPServer.start(.untrustedStartTLS)
        defer { server.stop() }
        let transcript = NIOLockedValueBox<[String]>([])
        let error = await #expect(throws: SMTPError.self) {
            let connection = try await SMTPConnection.connect(try Self.configuration(server, .startTLS),
                                                              transcript: { line in transcript.withLockedValue { $0.append(line) } })
            try await connection.send(from: "a@example.com", recipients: ["b@example.com"], data: Self.message)
        }
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("TLS") == true)
        let sent = transcript.withLockedValue { $0 }.filter { $0.hasPrefix("C: ") }
        #expect(sent == ["C: EHLO localhost", "C: STARTTLS", "C: EHLO localhost"], "after STARTTLS nothing more left in the clear")
        #expect(try server.received().isEmpty)
    }

    @Test func refusedRecipientsAreClassifiedAndTheSessionStaysUsable() async throws {
        for (reply, transient) in [("550 5.1.1 No such user here", false), ("451 4.3.0 Try again later", true), ("421 4.3.2 Closing", true)] {
            let server = try TestSMTPServer.start(.refusingRecipients(reply: reply))
            defer { server.stop() }
            let pool = SMTPConnectionPool(configuration: try Self.configuration(server, .none), logger: Logger(label: "test"))
            let error = await #expect(throws: SMTPError.self) {
                try await pool.send(from: "a@example.com", recipients: ["b@example.com"], data: Self.message)
            }
            #expect(error?.step == "RCPT TO" && error?.code == Int(reply.prefix(3)) && error?.isTransient == transient, "\(reply)")
            #expect(error?.enhancedCode == String(reply.dropFirst(4).prefix(5)))
            await pool.shutdown()
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try TestSMTPServer.start(.stalling)
        defer { server.stop() }
        // The error itself proves which limit ended the wait; no wall-clock assertion (the machine may be loaded).
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPConnection.connect(try Self.configuration(server, .none, timeout: 0.5))
        }
        #expect(error?.step == "greeting" && error?.isTransient == true && error?.description.contains("no reply within 0.5 s") == true)
    }

    @Test func thePoolReusesOneConnectionForManyMessages() async throws {
        let server = try TestSMTPServer.start(.postfixSink)
        defer { server.stop() }
        let pool = SMTPConnectionPool(configuration: try Self.configuration(server, .none), logger: Logger(label: "test"))
        for index in 0..<5 {
            try await pool.send(from: "a@example.com", recipients: ["r\(index)@example.com"], data: Self.message)
        }
        #expect(await pool.openConnections == 1)
        await pool.shutdown()
        try await Task.sleep(nanoseconds: 300_000_000)
        let dumps = try server.sinkDumps()
        #expect(dumps.count == 5)
        let first = try String(contentsOfFile: dumps[0], encoding: .utf8)
        #expect(first.contains("X-Mail-Args: <a@example.com>") && first.contains("\n.a line with a leading dot\n"))
    }

    @Test func smtpSinkOffersPipeliningAndGetsTheEnvelopeInOneWrite() async throws {
        let server = try TestSMTPServer.start(.postfixSink)
        defer { server.stop() }
        let transcript = NIOLockedValueBox<[String]>([])
        let connection = try await SMTPConnection.connect(try Self.configuration(server, .none),
                                                          transcript: { line in transcript.withLockedValue { $0.append(line) } })
        #expect(connection.capabilities.pipelining)
        try await connection.send(from: "a@example.com", recipients: ["b@example.com", "c@example.com"], data: Self.message)
        await connection.quit()
        let lines = transcript.withLockedValue { $0 }
        guard let mailFrom = lines.firstIndex(where: { $0.hasPrefix("C: MAIL FROM") }), lines.count >= mailFrom + 8 else {
            Issue.record("no MAIL FROM in \(lines)")
            return
        }
        // All four commands are written before the first of their replies is read.
        #expect(lines[mailFrom..<mailFrom + 4].map { String($0.prefix(7)) } == ["C: MAIL", "C: RCPT", "C: RCPT", "C: DATA"])
        #expect(lines[mailFrom + 4..<mailFrom + 8].map { String($0.prefix(6)) } == ["S: 250", "S: 250", "S: 250", "S: 354"])
        try await Task.sleep(nanoseconds: 300_000_000)
        let dumps = try server.sinkDumps()
        #expect(dumps.count == 1)
        let dump = try String(contentsOfFile: dumps[0], encoding: .utf8)
        #expect(dump.contains("b@example.com") && dump.contains("c@example.com") && dump.contains("\n.a line with a leading dot\n"))
    }

    @Test func concurrentSendsStayWithinTheConnectionLimit() async throws {
        let server = try TestSMTPServer.start(.postfixSink)
        defer { server.stop() }
        var configuration = try Self.configuration(server, .none)
        configuration.maxConnections = 3
        let pool = SMTPConnectionPool(configuration: configuration, logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                group.addTask { try await pool.send(from: "a@example.com", recipients: ["r\(index)@example.com"], data: Self.message) }
            }
            try await group.waitForAll()
        }
        #expect(await pool.openConnections <= 3)
        await pool.shutdown()
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(try server.sinkDumps().count == 30)
    }
}
