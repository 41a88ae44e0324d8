import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOConcurrencyHelpers
import SQLKit
import Testing
import TestSupport

@testable import API
@testable import App
@testable import Verification

/// The providers' webhooks against the live server: a mail the worker really sent, then its provider's signed
/// events — each moves the mail's address to the right state once, and every forged, stale or replayed one is
/// refused with nothing changed (on SQLite, and on PostgreSQL with `TEST_DATABASE_URL`).
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct ProviderWebhookTests {
    static let mailgunKey = "key-mailgun-signing-key-for-tests"
    static let postmarkUser = "postmark"
    static let postmarkPassword = "a-long-webhook-password"

    /// Registers an account, puts `address` and lets the worker send its mail; returns the account and the mail's
    /// Message-ID and raw text.
    static func sentMail(_ app: TestApp, _ client: APIClient, address: String) async throws -> (APIClient.Account, String, String) {
        let account = try await client.register()
        let before = try mailFiles(app).count
        let change = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
        try #require(change.status == .ok, "\(change.body.string)")
        try #require(try await runWorker(app) { try mailFiles(app).count == before + 1 })
        let file = try #require(try mailFiles(app).last)
        let parsed = try ParsedMail.parse(file: file)
        return (account, parsed.message_id.trimmingCharacters(in: CharacterSet(charactersIn: "<>")), try String(contentsOfFile: file, encoding: .utf8))
    }

    static func mailgun(_ client: APIClient, event: String, recipient: String, messageID: String, timestamp: Int = Int(Date().timeIntervalSince1970),
                        token: String = UUID().uuidString, key: String = mailgunKey, eventID: String = UUID().uuidString) async throws -> TestResponse {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\(token)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        let signature = mac.map { String(format: "%02x", $0) }.joined()
        return try await client.send(.post, "/webhooks/mailgun/", json: """
            {"signature": {"timestamp": "\(timestamp)", "token": "\(token)", "signature": "\(signature)"},
             "event-data": {\(event), "id": "\(eventID)", "timestamp": \(timestamp).5, "recipient": "\(recipient)",
               "message": {"headers": {"message-id": "\(messageID)"}}, "delivery-status": {"code": 550, "message": "5.1.1 user unknown"}}}
            """)
    }

    static func deliveryState(_ client: APIClient, _ account: APIClient.Account) async throws -> String? {
        try await DeliveryStateTests.delivery(client, account)?.state
    }

    @Test func mailgunBounceSuppressesOnceAndForgedStaleOrReplayedCallbacksChangeNothing() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0; $0.webhooks.mailgunSigningKey = Self.mailgunKey }) { app in
            let client = APIClient(app: app)
            let address = "mg-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let (account, messageID, _) = try await Self.sentMail(app, client, address: address)
            #expect(try await Self.deliveryState(client, account) == "sent")

            let bounce = #""event": "failed", "severity": "permanent""#
            let forged = try await Self.mailgun(client, event: bounce, recipient: address, messageID: messageID, key: "another-key")
            #expect(forged.status == .unauthorized)
            let stale = try await Self.mailgun(client, event: bounce, recipient: address, messageID: messageID,
                                               timestamp: Int(Date().timeIntervalSince1970) - 301)
            #expect(stale.status == .unauthorized)
            #expect(try await Self.deliveryState(client, account) == "sent", "refused callbacks changed nothing")
            #expect(try await app.services.suppressions.active(address: address, at: Date(), on: app.db) == nil)

            let token = UUID().uuidString
            let applied = try await Self.mailgun(client, event: bounce, recipient: address, messageID: messageID, token: token, eventID: "ev-1")
            #expect(applied.status == .ok)
            #expect(applied.body.string.contains(#""applied":1"#), "\(applied.body.string)")
            #expect(try await Self.deliveryState(client, account) == "bounced")
            #expect(try await app.services.suppressions.active(address: address, at: Date(), on: app.db)?.isComplaint == false)
            let replayed = try await Self.mailgun(client, event: bounce, recipient: address, messageID: messageID, token: token, eventID: "ev-1")
            #expect(replayed.status == .unauthorized, "a token is taken once")
            let retried = try await Self.mailgun(client, event: bounce, recipient: address, messageID: messageID, eventID: "ev-1")
            #expect(retried.status == .ok && retried.body.string.contains(#""duplicate":1"#), "\(retried.body.string)")
            let steps = try await app.services.deliveries.history(address: address, on: app.db).map(\.state)
            #expect(steps.filter { $0 == "bounced" }.count == 1, "\(steps)")

            let again = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(again.status == .unprocessableContent && again.body.string.contains(#""code":"bounced""#))
            let metrics = try await client.send(.get, "/metrics").body.string
            for (outcome, count) in [("applied", 1), ("duplicate", 1), ("refused", 3)] {
                #expect(metrics.contains(#"meiduo_provider_events_total{provider="mailgun",outcome="\#(outcome)"} \#(count)"#), "\(outcome)")
            }
        }
    }

    @Test func sendGridComplaintSuppressesUntilLiftedAndAnUnmatchedEventIsKeptNotApplied() async throws {
        let key = P256.Signing.PrivateKey()
        let now = NIOLockedValueBox(Date())
        try await withMeiduo({
            $0.verifyEmailResendInterval = 0
            $0.bounces.suppressDays = 1
            $0.webhooks.sendGridPublicKey = key.publicKey.derRepresentation.base64EncodedString()
        }, clock: { now.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let address = "sg-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let (account, messageID, _) = try await Self.sentMail(app, client, address: address)
            let send = { (body: String, timestamp: String) async throws -> TestResponse in
                let signature = try key.signature(for: Data(timestamp.utf8) + Data(body.utf8)).derRepresentation.base64EncodedString()
                return try await client.send(.post, "/webhooks/sendgrid/", json: body, headers: [
                    "X-Twilio-Email-Event-Webhook-Signature": signature, "X-Twilio-Email-Event-Webhook-Timestamp": timestamp])
            }
            let timestamp = String(Int(now.withLockedValue { $0 }.timeIntervalSince1970))
            let events = """
                [{"email":"\(address)","timestamp":\(timestamp),"smtp-id":"<\(messageID)>","event":"delivered","sg_event_id":"d-\(address)","response":"250 OK"},
                 {"email":"\(address)","timestamp":\(timestamp),"smtp-id":"<\(messageID)>","event":"spamreport","sg_event_id":"s-\(address)"},
                 {"email":"stranger@example.com","timestamp":\(timestamp),"smtp-id":"<verify-email.999999.1@meiduo.test>","event":"bounce","sg_event_id":"u-\(address)","status":"5.1.1","type":"bounce"}]
                """
            let tampered = try await client.send(.post, "/webhooks/sendgrid/", json: events.replacingOccurrences(of: "spamreport", with: "open"), headers: [
                "X-Twilio-Email-Event-Webhook-Signature": try key.signature(for: Data(timestamp.utf8) + Data(events.utf8)).derRepresentation.base64EncodedString(),
                "X-Twilio-Email-Event-Webhook-Timestamp": timestamp])
            #expect(tampered.status == .unauthorized)
            #expect(try await Self.deliveryState(client, account) == "sent")
            let taken = try await send(events, timestamp)
            #expect(taken.status == .ok)
            #expect(taken.body.string == #"{"events":3,"applied":2,"duplicate":0,"unmatched":1,"ignored":0}"#)
            #expect(try await Self.deliveryState(client, account) == "complained")
            let steps = try await app.services.deliveries.history(address: address, on: app.db).map(\.state)
            #expect(steps == ["queued", "sending", "sent", "delivered", "complained"])
            #expect(try await app.services.suppressions.active(address: "stranger@example.com", at: Date(), on: app.db) == nil,
                    "an event that matches no mail is never applied to an address")
            let stored = try await app.db.raw("SELECT outcome FROM \(ident: app.services.tables.providerEvents) ORDER BY id").all()
                .map { try $0.decode(column: "outcome", as: String.self) }
            #expect(stored == ["applied", "applied", "unmatched"])

            now.withLockedValue { $0 = $0.addingTimeInterval(30 * 86_400) }
            let refused = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(refused.status == .unprocessableContent, "a complaint does not expire with SUPPRESS_DAYS")
            #expect(refused.body.string.contains(#""code":"complained""#), "\(refused.body.string)")
            #expect(try await app.services.suppressions.remove(address: address, on: app.db))
            let lifted = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(lifted.status == .ok, "\(lifted.body.string)")
        }
    }

    @Test func postmarkMatchesByTheMetadataHeaderTheMailCarriesAndNeedsItsBasicAuth() async throws {
        try await withMeiduo({
            $0.verifyEmailResendInterval = 0
            $0.webhooks.postmarkUser = Self.postmarkUser
            $0.webhooks.postmarkPassword = Self.postmarkPassword
        }) { app in
            let client = APIClient(app: app)
            let address = "pm-\(UUID().uuidString.prefix(8).lowercased())@example.com"
            let (account, messageID, raw) = try await Self.sentMail(app, client, address: address)
            #expect(raw.contains("\r\nX-PM-Metadata-meiduo-message-id: \(messageID)\r\n"))
            let body = """
                {"RecordType":"Delivery","ServerID":23,"MessageStream":"outbound","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483",
                 "Recipient":"\(address)","Tag":"","DeliveredAt":"2026-12-05T16:33:54Z","Details":"Test delivery webhook details",
                 "Metadata":{"meiduo-message-id":"\(messageID)"}}
                """
            let basic = { (password: String) in ["Authorization": "Basic " + Data("\(Self.postmarkUser):\(password)".utf8).base64EncodedString()] }
            #expect(try await client.send(.post, "/webhooks/postmark/", json: body).status == .unauthorized)
            #expect(try await client.send(.post, "/webhooks/postmark/", json: body, headers: basic("a-long-webhook-passworx")).status == .unauthorized)
            #expect(try await Self.deliveryState(client, account) == "sent")
            let taken = try await client.send(.post, "/webhooks/postmark/", json: body, headers: basic(Self.postmarkPassword))
            #expect(taken.status == .ok && taken.body.string.contains(#""applied":1"#), "\(taken.body.string)")
            #expect(try await Self.deliveryState(client, account) == "delivered")
            let unreadable = try await client.send(.post, "/webhooks/postmark/", json: "[1,2]", headers: basic(Self.postmarkPassword))
            #expect(unreadable.status == .badRequest)
        }
    }

    @Test func aProviderWithoutSettingsHasNoWebhook() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            for provider in ["ses", "sendgrid", "mailgun", "postmark"] {
                #expect(try await client.send(.post, "/webhooks/\(provider)/", json: "{}").status == .notFound, "\(provider)")
            }
            let (_, _, raw) = try await Self.sentMail(app, client, address: "plain-\(UUID().uuidString.prefix(8).lowercased())@example.com")
            #expect(!raw.contains("X-PM-Metadata"), "mails carry Postmark's header only for a shop that uses Postmark")
        }
    }
}
