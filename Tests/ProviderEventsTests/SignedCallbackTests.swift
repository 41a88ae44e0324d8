import Crypto
import CryptoExtras
import Foundation
import ProviderEvents
import X509
import XCTest

/// Each provider's callback signed with keys made here, then altered one way at a time: only the untouched one
/// is read.
final class SignedCallbackTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    let messageID = "verify-email.42.1795999990@meiduo.test"

    // MARK: Mailgun

    func mailgunBody(key: String, timestamp: Int, token: String = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
                     event: String = #""event": "failed", "severity": "permanent""#) -> Data {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\(token)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        let signature = mac.map { String(format: "%02x", $0) }.joined()
        return Data("""
            {"signature": {"timestamp": "\(timestamp)", "token": "\(token)", "signature": "\(signature)"},
             "event-data": {\(event), "id": "G9Bn5sl1TC6nu79C8C0bwg", "timestamp": \(timestamp).375624,
               "recipient": "alice@example.com", "message": {"headers": {"message-id": "\(messageID)"}},
               "delivery-status": {"code": 550, "message": "5.1.1 No such user", "description": ""}, "reason": "bounce"}}
            """.utf8)
    }

    func testMailgunReadsASignedEventAndRefusesAWrongKeyOrAStaleTimestamp() throws {
        let webhook = MailgunWebhook(signingKey: "key-signing-secret")
        let signed = try webhook.read(mailgunBody(key: "key-signing-secret", timestamp: 1_796_000_000 - 60), now: now)
        XCTAssertEqual(signed.event.kind, .permanentBounce)
        XCTAssertEqual(signed.event.recipient, "alice@example.com")
        XCTAssertEqual(signed.event.messageID, messageID)
        XCTAssertEqual(signed.event.eventID, "G9Bn5sl1TC6nu79C8C0bwg")
        XCTAssertEqual(signed.token, "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0")
        XCTAssertThrowsError(try webhook.read(mailgunBody(key: "another-key", timestamp: 1_796_000_000), now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .badSignature)
        }
        XCTAssertThrowsError(try webhook.read(mailgunBody(key: "key-signing-secret", timestamp: 1_796_000_000 - 301), now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .staleTimestamp)
        }
        XCTAssertThrowsError(try webhook.read(Data(#"{"event-data": {}}"#.utf8), now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .missingSignature)
        }
        let kinds = try [#""event": "failed", "severity": "temporary""#, #""event": "delivered""#, #""event": "complained""#, #""event": "opened""#]
            .map { try webhook.read(mailgunBody(key: "key-signing-secret", timestamp: 1_796_000_000, event: $0), now: now).event.kind }
        XCTAssertEqual(kinds, [.temporaryBounce, .delivered, .complained, .other])
    }

    // MARK: SendGrid

    func sendGridBody() -> Data {
        Data("""
            [{"email":"alice@example.com","timestamp":1795999990,"smtp-id":"<\(messageID)>","event":"bounce","sg_event_id":"ZGVsaXZlcmVk","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"500 unknown recipient","status":"5.1.1","type":"bounce"},
             {"email":"alice@example.com","timestamp":1795999991,"smtp-id":"<\(messageID)>","event":"spamreport","sg_event_id":"c3BhbXJlcG9ydA"},
             {"email":"alice@example.com","timestamp":1795999992,"smtp-id":"<\(messageID)>","event":"delivered","sg_event_id":"ZGVsaXZlcmVkMg","response":"250 OK"}]
            """.utf8)
    }

    func testSendGridReadsASignedBatchAndRefusesATamperedBodyAWrongKeyOrAStaleTimestamp() throws {
        let key = P256.Signing.PrivateKey()
        let webhook = try XCTUnwrap(SendGridWebhook(publicKey: key.publicKey.derRepresentation.base64EncodedString()))
        let body = sendGridBody()
        let timestamp = "1795999990"
        let signature = try key.signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString()
        let events = try webhook.read(body, signature: signature, timestamp: timestamp, now: now)
        XCTAssertEqual(events.map(\.kind), [.permanentBounce, .complained, .delivered])
        XCTAssertEqual(events.map(\.messageID), [messageID, messageID, messageID])
        XCTAssertEqual(events[0].status, "5.1.1")
        var tampered = body
        tampered[tampered.firstIndex(of: UInt8(ascii: "5"))!] = UInt8(ascii: "4")
        XCTAssertThrowsError(try webhook.read(tampered, signature: signature, timestamp: timestamp, now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .badSignature)
        }
        let stranger = try P256.Signing.PrivateKey().signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString()
        XCTAssertThrowsError(try webhook.read(body, signature: stranger, timestamp: timestamp, now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .badSignature)
        }
        let old = "1795999000"
        let oldSignature = try key.signature(for: Data(old.utf8) + body).derRepresentation.base64EncodedString()
        XCTAssertThrowsError(try webhook.read(body, signature: oldSignature, timestamp: old, now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .staleTimestamp)
        }
        XCTAssertThrowsError(try webhook.read(body, signature: nil, timestamp: timestamp, now: now)) {
            XCTAssertEqual($0 as? WebhookRefusal, .missingSignature)
        }
        XCTAssertNil(SendGridWebhook(publicKey: "bm90IGEga2V5"))
    }

    // MARK: Postmark

    func testPostmarkTakesOnlyItsBasicAuthAndFindsTheMessageIDInTheMetadata() throws {
        let webhook = PostmarkWebhook(user: "postmark", password: "a-long-webhook-password")
        let body = Data("""
            {"RecordType": "Bounce", "MessageStream": "outbound", "ID": 4323372036854775807, "Type": "HardBounce", "TypeCode": 1,
             "Name": "Hard bounce", "Tag": "", "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483", "Metadata": {"meiduo-message-id": "\(messageID)"},
             "ServerID": 23, "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
             "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.", "Email": "alice@example.com",
             "From": "noreply@meiduo.test", "BouncedAt": "2026-12-05T16:33:54.9070259Z", "Inactive": true, "CanActivate": true, "Subject": "Test subject"}
            """.utf8)
        let basic = { (user: String, password: String) in "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
        let event = try webhook.read(body, authorization: basic("postmark", "a-long-webhook-password"))
        XCTAssertEqual(event.kind, .permanentBounce)
        XCTAssertEqual(event.messageID, messageID)
        XCTAssertEqual(event.eventID, "Bounce:4323372036854775807")
        for wrong in [basic("postmark", "a-long-webhook-passwore"), basic("postmarc", "a-long-webhook-password"), "Basic !!", "Bearer x"] {
            XCTAssertThrowsError(try webhook.read(body, authorization: wrong), wrong)
        }
        XCTAssertThrowsError(try webhook.read(body, authorization: nil)) { XCTAssertEqual($0 as? WebhookRefusal, .missingSignature) }
        let complaint = Data(#"{"RecordType": "SpamComplaint", "ID": 42, "Type": "SpamComplaint", "Email": "alice@example.com", "Metadata": {"meiduo-message-id": "x@y"}}"#.utf8)
        XCTAssertEqual(try webhook.read(complaint, authorization: basic("postmark", "a-long-webhook-password")).kind, .complained)
        let delivery = Data(#"{"RecordType": "Delivery", "MessageID": "883953f4", "Recipient": "alice@example.com", "DeliveredAt": "2026-12-05T16:33:54Z", "Details": "Test delivery webhook details", "Metadata": {}}"#.utf8)
        let delivered = try webhook.read(delivery, authorization: basic("postmark", "a-long-webhook-password"))
        XCTAssertEqual(delivered.kind, .delivered)
        XCTAssertNil(delivered.messageID)
    }

    // MARK: SNS and SES

    func testSNSMessagesVerifyAgainstTheirCertificateUnderBothSignatureVersions() async throws {
        let signer = try await SNSSigner()
        for version in ["1", "2"] {
            let body = signer.notification(sesMessage: SESPayloads.bounce(messageID: messageID), version: version)
            let message = try SNSMessage(body, topics: [SNSSigner.topic], certificateHost: "sns.*.amazonaws.com")
            XCTAssertEqual(message.type, .notification)
            XCTAssertEqual(message.signingCertURL.host, "sns.us-east-1.amazonaws.com")
            try message.verify(certificatePEM: signer.certificatePEM)
            let events = try SESEvent.events(in: message.message, notificationID: message.messageID)
            XCTAssertEqual(events.map(\.kind), [.permanentBounce])
            XCTAssertEqual(events.first?.messageID, messageID)
            XCTAssertEqual(events.first?.status, "5.1.1")
        }
    }

    func testSNSRefusesATamperedMessageAnotherCertificateAForeignHostAndAnUnlistedTopic() async throws {
        let signer = try await SNSSigner()
        let body = signer.notification(sesMessage: SESPayloads.bounce(messageID: messageID), version: "2")
        let tampered = Data(String(decoding: body, as: UTF8.self).replacingOccurrences(of: "Permanent", with: "Transient").utf8)
        XCTAssertThrowsError(try SNSMessage(tampered, topics: [SNSSigner.topic], certificateHost: "sns.*.amazonaws.com")
            .verify(certificatePEM: signer.certificatePEM)) { XCTAssertEqual($0 as? WebhookRefusal, .badSignature) }
        let stranger = try await SNSSigner()
        XCTAssertThrowsError(try SNSMessage(body, topics: [SNSSigner.topic], certificateHost: "sns.*.amazonaws.com")
            .verify(certificatePEM: stranger.certificatePEM)) { XCTAssertEqual($0 as? WebhookRefusal, .badSignature) }
        for url in ["https://sns.us-east-1.amazonaws.com.evil.test/cert.pem", "http://sns.us-east-1.amazonaws.com/cert.pem",
                    "https://evil.test/cert.pem", "https://sns.us-east-1.amazonaws.com@evil.test/cert.pem",
                    "https://sns.us-east-1.amazonaws.com/uploads/SimpleNotificationService-1.pem"] {
            let foreign = signer.notification(sesMessage: "{}", version: "2", certificateURL: url)
            XCTAssertThrowsError(try SNSMessage(foreign, topics: [SNSSigner.topic], certificateHost: "sns.*.amazonaws.com"), url) {
                XCTAssertEqual($0 as? WebhookRefusal, .untrustedCertificateURL(url))
            }
        }
        XCTAssertThrowsError(try SNSMessage(body, topics: ["arn:aws:sns:us-east-1:123456789012:other"], certificateHost: "sns.*.amazonaws.com")) {
            XCTAssertEqual($0 as? WebhookRefusal, .unlistedTopic(SNSSigner.topic))
        }
    }

    func testSESEventsOfEveryKindNameEachRecipient() throws {
        let complaint = try SESEvent.events(in: SESPayloads.complaint(messageID: messageID), notificationID: "n-1")
        XCTAssertEqual(complaint.map(\.kind), [.complained])
        XCTAssertEqual(complaint.map(\.eventID), ["n-1:alice@example.com"])
        let delivery = try SESEvent.events(in: SESPayloads.delivery(messageID: messageID), notificationID: "n-2")
        XCTAssertEqual(delivery.map(\.kind), [.delivered])
        XCTAssertEqual(delivery.first?.messageID, messageID)
        XCTAssertThrowsError(try SESEvent.events(in: "{}", notificationID: "n-3"))
    }
}
