import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import SMTPClient
import SMTPServer
import TestSupport
import XCTest

/// The listener on 127.0.0.1 with this package's own SMTP client as the sending side: plain and after STARTTLS,
/// a refused recipient, the receiver's temporary failure, the connection cap.
final class ListenerTests: XCTestCase {
    final class Collector: SMTPMailReceiver {
        let messages = NIOLockedValueBox<[SMTPServerSession.Message]>([])
        let reply: SMTPReply

        init(reply: SMTPReply = SMTPReply(code: 250, lines: ["2.0.0 stored"])) {
            self.reply = reply
        }

        func accepts(recipient: String) -> Bool { recipient.hasPrefix("bounces+") }

        func receive(_ message: SMTPServerSession.Message, client: String) async -> SMTPReply {
            messages.withLockedValue { $0.append(message) }
            return reply
        }
    }

    func start(_ receiver: Collector, tls: NIOSSLContext? = nil, connections: Int = 10) async throws -> SMTPServer {
        try await SMTPServer.start(SMTPServerConfiguration(
            host: "127.0.0.1", port: 0, hostname: "bounces.test", limits: .init(maximumMessageSize: 100_000),
            maximumConnections: connections, idleTimeout: .seconds(5), sessionLimit: .seconds(30), tls: tls),
            receiver: receiver, logger: Logger(label: "test"))
    }

    static let message = Array("Subject: report\r\n\r\n.a line with a leading dot\r\nbody\r\n".utf8)

    func testOurClientDeliversToOurListenerByteForByte() async throws {
        let receiver = Collector()
        let server = try await start(receiver)
        let connection = try await SMTPConnection.connect(SMTPConfiguration(host: "127.0.0.1", port: server.port!, timeout: 5))
        let accepted = try await connection.send(from: "", recipients: ["bounces+1-ab@bounces.test"], data: Self.message)
        XCTAssertEqual(accepted, SMTPReply(code: 250, lines: ["2.0.0 stored"]))
        do {
            try await connection.send(from: "", recipients: ["postmaster@bounces.test"], data: Self.message)
            XCTFail("a recipient that is not a bounce address was accepted")
        } catch {
            XCTAssertEqual(error.step, "RCPT TO")
            XCTAssertEqual(error.code, 550)
        }
        await connection.quit()
        try await server.close()
        XCTAssertEqual(receiver.messages.withLockedValue { $0 }, [.init(from: "", recipients: ["bounces+1-ab@bounces.test"], data: Self.message)])
    }

    func testStartTLSThenDelivery() async throws {
        let certificates = try TestCertificates.shared()
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKey, format: .pem))))
        let receiver = Collector()
        let server = try await start(receiver, tls: tls)
        let connection = try await SMTPConnection.connect(SMTPConfiguration(
            host: "localhost", port: server.port!, security: .startTLS, timeout: 5, extraTrustedCAFile: certificates.authority))
        try await connection.send(from: "", recipients: ["bounces+2-cd@bounces.test"], data: Self.message)
        await connection.quit()
        try await server.close()
        XCTAssertEqual(receiver.messages.withLockedValue { $0.count }, 1)
    }

    func testTheReceiversTemporaryFailureReachesTheSenderAsTransient() async throws {
        let server = try await start(Collector(reply: SMTPReply(code: 451, lines: ["4.3.0 try again later"])))
        let connection = try await SMTPConnection.connect(SMTPConfiguration(host: "127.0.0.1", port: server.port!, timeout: 5))
        do {
            try await connection.send(from: "", recipients: ["bounces+3-ef@bounces.test"], data: Self.message)
            XCTFail("the 451 was not passed on")
        } catch {
            XCTAssertEqual(error.code, 451)
            XCTAssertTrue(error.isTransient)
        }
        await connection.quit()
        try await server.close()
    }

    func testConnectionsBeyondTheCapAreTurnedAwayWith421() async throws {
        let server = try await start(Collector(), connections: 1)
        let first = try await SMTPConnection.connect(SMTPConfiguration(host: "127.0.0.1", port: server.port!, timeout: 5))
        do {
            _ = try await SMTPConnection.connect(SMTPConfiguration(host: "127.0.0.1", port: server.port!, timeout: 5))
            XCTFail("a second connection was served")
        } catch {
            XCTAssertEqual(error.code, 421)
        }
        await first.quit()
        try await server.close()
    }
}
