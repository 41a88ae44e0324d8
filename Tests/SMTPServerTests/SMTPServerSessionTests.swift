import NIOCore
import SMTPClient
import SMTPServer
import XCTest

final class SMTPServerSessionTests: XCTestCase {
    func session(maximumSize: Int = 1000, tls: Bool = false) -> SMTPServerSession {
        SMTPServerSession(hostname: "bounces.test", limits: .init(maximumMessageSize: maximumSize), offersTLS: tls,
                          acceptsRecipient: { $0.hasPrefix("ok") })
    }

    func codes(_ session: inout SMTPServerSession, _ lines: [String]) -> [Int] {
        lines.map { line in
            switch session.receive(.line(Array(line.utf8))) {
            case .reply(let reply), .close(let reply), .startTLS(let reply): reply.code
            case .deliver: 250
            case .none: 0
            }
        }
    }

    func testAMessageIsDeliveredWithDotsUnstuffed() {
        var session = session()
        XCTAssertEqual(codes(&session, ["EHLO mta", "MAIL FROM:<>", "RCPT TO:<ok@bounces.test>", "DATA", "Subject: x", "", "..a dot"]),
                       [250, 250, 250, 354, 0, 0, 0])
        XCTAssertEqual(session.receive(.line(Array(".".utf8))),
                       .deliver(.init(from: "", recipients: ["ok@bounces.test"], data: Array("Subject: x\r\n\r\n.a dot\r\n".utf8))))
    }

    func testRecipientsNotAcceptedAreRefusedAndCommandsOutOfOrderToo() {
        var session = session()
        XCTAssertEqual(codes(&session, ["MAIL FROM:<>", "EHLO mta", "RCPT TO:<ok@x>", "MAIL FROM:<>", "RCPT TO:<someone@x>", "DATA",
                                        "RCPT TO: <ok@x>", "RCPT TO:ok@x", "FOO", "VRFY x", "RSET", "NOOP", "QUIT"]),
                       [503, 250, 503, 250, 550, 503, 250, 501, 500, 252, 250, 250, 221])
    }

    func testAnOversizeMessageIsRefusedAtItsAnnouncedSizeOrAtItsEnd() {
        var session = session(maximumSize: 100)
        XCTAssertEqual(codes(&session, ["EHLO mta", "MAIL FROM:<> SIZE=101", "MAIL FROM:<> SIZE=50", "RCPT TO:<ok@x>", "DATA"]),
                       [250, 552, 250, 250, 354])
        XCTAssertEqual(codes(&session, Array(repeating: String(repeating: "y", count: 60), count: 3) + ["."]), [0, 0, 0, 552])
        XCTAssertEqual(codes(&session, ["MAIL FROM:<>"]), [250], "the session goes on after a refused message")
    }

    func testAnOverlongLineIsRefusedAndTooManyErrorsClose() {
        var session = session()
        guard case .reply(let reply) = session.receive(.overlong) else { return XCTFail("expected a reply") }
        XCTAssertEqual(reply.code, 500)
        for _ in 0..<8 { _ = session.receive(.line(Array("BAD".utf8))) }
        guard case .close(let last) = session.receive(.line(Array("BAD".utf8))) else { return XCTFail("expected the session to close") }
        XCTAssertEqual(last.code, 421)
    }

    func testStartTLSIsOfferedOnlyWithACertificateAndOnlyOnce() {
        var plain = session()
        XCTAssertEqual(codes(&plain, ["EHLO mta", "STARTTLS"]), [250, 502])
        var secure = session(tls: true)
        guard case .reply(let ehlo) = secure.receive(.line(Array("EHLO mta".utf8))) else { return XCTFail() }
        XCTAssertTrue(ehlo.lines.contains("STARTTLS"))
        guard case .startTLS = secure.receive(.line(Array("STARTTLS".utf8))) else { return XCTFail("expected STARTTLS") }
        secure.tlsStarted()
        XCTAssertEqual(codes(&secure, ["MAIL FROM:<>", "EHLO mta", "STARTTLS"]), [503, 250, 502])
    }

    func testTheReplyCodecRoundTrips() throws {
        let reply = SMTPReply(code: 250, lines: ["bounces.test", "SIZE 1000", "8BITMIME"])
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(bytes: reply.encoded)
        XCTAssertEqual(try decoder.decodeReply(&buffer), reply)
    }
}
