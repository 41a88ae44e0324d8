import Foundation

/// A delivery status notification as Postfix 3.7 writes one (captured from it as a relay), with the recipient
/// block's Action, Status and Diagnostic-Code given; its returned message carries a decoy `Status:` and 5.1.1.
public enum PostfixReport {
    public static func make(action: String, status: String, diagnostic: String) -> [UInt8] {
        Array("""
        Received: by relay.meiduo.test (Postfix)
        \tid 84DDDF7A500; Wed,  2 Dec 2026 12:09:25 +0000 (UTC)
        From: Mail Delivery System <MAILER-DAEMON@relay.meiduo.test>
        Subject: Undelivered Mail Returned to Sender
        To: bounces+42-abcdef@bounces.meiduo.test
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="7C7C2F7A4E5.1796213365/relay.meiduo.test"
        Content-Transfer-Encoding: 8bit

        This is a MIME-encapsulated message.

        --7C7C2F7A4E5.1796213365/relay.meiduo.test
        Content-Description: Notification
        Content-Type: text/plain; charset=utf-8

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        <nobody@gone.test>: mailbox unknown

        --7C7C2F7A4E5.1796213365/relay.meiduo.test
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.meiduo.test
        X-Postfix-Queue-ID: 7C7C2F7A4E5
        Arrival-Date: Wed,  2 Dec 2026 12:09:25 +0000 (UTC)

        Final-Recipient: rfc822; nobody@gone.test
        Original-Recipient: rfc822;nobody@gone.test
        Action: \(action)
        Status: \(status)
        Diagnostic-Code: \(diagnostic)

        --7C7C2F7A4E5.1796213365/relay.meiduo.test
        Content-Description: Undelivered Message
        Content-Type: message/rfc822

        Subject: verify
        Status: 2.0.0

        hello, with a 5.1.1 that is not the report's

        --7C7C2F7A4E5.1796213365/relay.meiduo.test--
        """.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }
}
