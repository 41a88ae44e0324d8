import Bounces
import TestSupport
import XCTest

/// Reports as mail systems send them: Postfix's own DSNs (`PostfixReport`), one whose
/// report part is base64 and wrapped in multipart/mixed, a plain bounce without a report, and malformed input.
final class DeliveryReportTests: XCTestCase {
    func testAPostfixFailureIsAHardBounceWithItsStatusAndRecipient() throws {
        let report = try DeliveryReport.read(PostfixReport.make(action: "failed", status: "5.1.1", diagnostic: "X-Postfix; mailbox unknown"))
        XCTAssertEqual(report, DeliveryReport(action: .failed, status: "5.1.1", diagnostic: "X-Postfix; mailbox unknown",
                                              finalRecipient: "nobody@gone.test", isStructured: true))
        XCTAssertTrue(report.isHardBounce)
    }

    func testADelayedReportIsNotABounceAndItsFoldedDiagnosticIsUnfolded() throws {
        let report = try DeliveryReport.read(PostfixReport.make(
            action: "delayed", status: "4.4.1", diagnostic: "X-Postfix; connect to 127.0.0.1[127.0.0.1]:12599: Connection\n    refused"))
        XCTAssertEqual(report.action, .delayed)
        XCTAssertEqual(report.status, "4.4.1")
        XCTAssertEqual(report.diagnostic, "X-Postfix; connect to 127.0.0.1[127.0.0.1]:12599: Connection refused")
        XCTAssertFalse(report.isHardBounce)
    }

    func testAFailureWithATemporaryStatusIsNotAHardBounce() throws {
        let report = try DeliveryReport.read(PostfixReport.make(action: "failed", status: "4.4.7", diagnostic: "X-Postfix; gave up"))
        XCTAssertEqual(report.action, .failed)
        XCTAssertFalse(report.isHardBounce)
    }

    func testABase64ReportInsideMultipartMixedIsFound() throws {
        let fields = "Reporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; a@example.net\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n"
        let raw = """
        Content-Type: multipart/mixed; boundary=outer\r
        \r
        --outer\r
        Content-Type: multipart/report; report-type=delivery-status; boundary="inner"\r
        \r
        --inner\r
        Content-Type: text/plain\r
        \r
        The mail could not be delivered.\r
        --inner\r
        Content-Type: message/delivery-status\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Data(fields.utf8).base64EncodedString(options: .lineLength76Characters))\r
        --inner--\r
        --outer--\r
        """
        let report = try DeliveryReport.read(Array(raw.utf8))
        XCTAssertEqual(report.status, "5.2.2")
        XCTAssertEqual(report.finalRecipient, "a@example.net")
        XCTAssertTrue(report.isHardBounce)
    }

    func testAPlainBounceIsReadFromItsFirstPermanentStatusLine() throws {
        let raw = "From: MAILER-DAEMON@mx.example.net\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program.\r\nVersion 1.2.3 says nothing.\r\n<a@example.net>:\r\n192.0.2.1 does not like recipient.\r\nRemote host said: 550 5.1.1 <a@example.net>: Recipient address rejected\r\n"
        let report = try DeliveryReport.read(Array(raw.utf8))
        XCTAssertEqual(report.action, .failed)
        XCTAssertEqual(report.status, "5.1.1")
        XCTAssertEqual(report.diagnostic, "Remote host said: 550 5.1.1 <a@example.net>: Recipient address rejected")
        XCTAssertFalse(report.isStructured)
    }

    func testMalformedInputIsRefusedWithAReasonNeverATrap() {
        let inputs: [[UInt8]] = [
            [],
            Array("Content-Type: multipart/report; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nnonsense\r\n--b".utf8),
            Array("Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--\r\n".utf8),
            Array("Subject: out of office\r\n\r\nI am away until Monday.\r\n".utf8),
            [0xFF, 0xFE, 0x00, 0x0A, 0x0A, 0xC3] + Array(repeating: 0x2D, count: 10_000),
            Array(repeating: UInt8(ascii: "x"), count: 5_000_000),
        ]
        for input in inputs {
            XCTAssertThrowsError(try DeliveryReport.read(input), "\(input.prefix(40))")
        }
    }
}
