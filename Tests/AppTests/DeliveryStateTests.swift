import Bounces
import Foundation
import NIOConcurrencyHelpers
import SMTPServer
import SQLKit
import HTTPTypes
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// What GET /user/ and the delivery log say of a mail, from queued to verified; suppression after a hard bounce;
/// and `BounceReceiver` applying reports to the mail they name (on SQLite, and on PostgreSQL with
/// `TEST_DATABASE_URL`).
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct DeliveryStateTests {
    struct Delivery: Decodable, Equatable {
        var state: String
        var at: String?
        var detail: String
    }

    private struct ProfileWithDelivery: Decodable {
        var email_delivery: Delivery?
    }

    static func delivery(_ client: APIClient, _ account: APIClient.Account) async throws -> Delivery? {
        let body = try await client.send(.get, "/user/", token: account.token).body.string
        return try JSONDecoder().decode(ProfileWithDelivery.self, from: Data(body.utf8)).email_delivery
    }

    static func change(_ client: APIClient, _ account: APIClient.Account, to address: String) async throws -> (HTTPResponse.Status, String) {
        let response = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
        return (response.status, response.body.string)
    }

    @Test func aMailGoesFromQueuedToSentToVerifiedAndEveryStepIsLogged() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            #expect(try await Self.delivery(client, account) == nil, "no address, nothing to tell")
            let address = "\(account.username)@Example.com"
            let code = try await VerificationCodeTests.mailedCode(app, client, account, address)
            #expect(try await Self.delivery(client, account)?.state == "sent")
            #expect(try await Self.delivery(client, account)?.detail == DeliveryWording.sent)
            _ = try await VerificationCodeTests.type(code, client, account)
            #expect(try await Self.delivery(client, account)?.state == "verified")
            let history = try await app.services.deliveries.history(address: address, on: app.db)
            #expect(history.map(\.state) == ["queued", "sending", "sent", "verified"])
            #expect(history.allSatisfy { $0.address == address.lowercased() })
            #expect(history[2].operator_detail.hasPrefix("written to "), "the file transport's receipt")
            let metrics = try await client.send(.get, "/metrics").body.string
            for state in ["queued", "sending", "sent", "verified"] {
                #expect(metrics.contains(#"meiduo_mail_deliveries_total{state="\#(state)"} 1"#), "\(state)")
            }
            // Replacing the verified address queues a notice to it: logged under the old address.
            #expect(try await Self.change(client, account, to: "second-\(account.username)@example.com").0 == .ok)
            let notice = try await app.services.deliveries.history(address: address, on: app.db).last
            #expect(notice?.kind == SendEmailChangedNoticeJob.kind && notice?.state == "queued")
            #expect(try await Self.delivery(client, account)?.state == "queued")
        }
    }

    @Test func aSuppressedAddressIs422UntilItExpiresOrIsLiftedAndOtherAddressesAreNotBlocked() async throws {
        let now = NIOLockedValueBox(Date())
        try await withMeiduo({ $0.verifyEmailResendInterval = 0; $0.bounces.suppressDays = 2 }, clock: { now.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let database = app.db
            try await app.services.suppressions.suppress(address: "gone@example.com", status: "5.1.1", detail: DeliveryWording.refused(status: "5.1.1"),
                                                        jobID: 7, at: now.withLockedValue { $0 }, on: database)
            let refused = try await Self.change(client, account, to: "Gone@example.com")
            #expect(refused.0 == .unprocessableContent)
            #expect(refused.1.contains(#""code":"bounced""#) && refused.1.contains("5.1.1"), "\(refused.1)")
            #expect(try await Self.change(client, account, to: "other@example.com").0 == .ok)
            now.withLockedValue { $0 = $0.addingTimeInterval(2 * 86_400 + 1) }
            #expect(try await Self.change(client, account, to: "gone@example.com").0 == .ok, "the bounce is older than SUPPRESS_DAYS")
            try await app.services.suppressions.suppress(address: "gone@example.com", status: "5.1.1", detail: DeliveryWording.refused(status: "5.1.1"),
                                                        jobID: 8, at: now.withLockedValue { $0 }, on: database)
            #expect(try await Self.change(client, account, to: "gone@example.com").0 == .unprocessableContent)
            #expect(try await app.services.suppressions.remove(address: "GONE@example.com", on: database))
            #expect(try await app.services.suppressions.remove(address: "gone@example.com", on: database) == false)
            #expect(try await Self.change(client, account, to: "gone@example.com").0 == .ok)
        }
    }

    @Test func aMailQueuedBeforeItsAddressWasSuppressedIsNotSent() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let database = app.db
            #expect(try await Self.change(client, account, to: "late-bounce@example.com").0 == .ok)
            try await app.services.suppressions.suppress(address: "late-bounce@example.com", status: "5.1.1",
                                                        detail: DeliveryWording.refused(status: "5.1.1"), jobID: 1, at: Date(), on: database)
            #expect(try await runWorker(app) { try await app.services.jobQueue.list(state: .dead, limit: 1).first != nil })
            #expect(try mailFiles(app).isEmpty)
            let latest = try await app.services.deliveries.latest(address: "late-bounce@example.com", on: database)
            #expect(latest?.state == "bounced" && latest?.operator_detail.hasPrefix("not sent: suppressed") == true)
        }
    }

    @Test func reportsAreKeptRawAndAppliedToTheMailTheyName() async throws {
        try await withMeiduo({ $0.bounces.address = "bounces@meiduo.test" }) { app in
            let client = APIClient(app: app)
            let database = app.db
            let services = app.services
            let addresses = try #require(services.bounceAddress)
            let receiver = BounceReceiver(addresses: addresses, reports: BounceReports(table: services.tables.bounceReports),
                                          deliveries: services.deliveries, suppressions: services.suppressions, database: database,
                                          metrics: services.metrics, clock: services.clock, logger: app.logger)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            _ = try await VerificationCodeTests.mailedCode(app, client, account, address)
            let jobID = try #require(try await services.deliveries.latest(address: address, on: database)?.job_id)
            let bounceAddress = addresses.address(forJob: jobID)
            #expect(receiver.accepts(recipient: bounceAddress))
            #expect(!receiver.accepts(recipient: addresses.address(forJob: jobID + 1).replacingOccurrences(of: "+\(jobID + 1)-", with: "+\(jobID)-")))

            let delayed = PostfixReport.make(action: "delayed", status: "4.4.1", diagnostic: "X-Postfix; connect to mx.internal: refused")
            #expect(await receiver.receive(.init(from: "", recipients: [bounceAddress], data: delayed), client: "127.0.0.1").code == 250)
            let deferred = try #require(try await Self.delivery(client, account))
            #expect(deferred.state == "deferred")
            #expect(!deferred.detail.contains("internal"), "the user never sees the server's own words")

            let failed = PostfixReport.make(action: "failed", status: "5.1.1", diagnostic: "X-Postfix; mailbox unknown")
            #expect(await receiver.receive(.init(from: "", recipients: [bounceAddress], data: failed), client: "127.0.0.1").code == 250)
            #expect(try await Self.delivery(client, account)?.state == "bounced")
            #expect(try await services.suppressions.active(address: address, at: services.clock(), on: database)?.status == "5.1.1")

            let garbage = Array("Subject: hello\r\n\r\nnot a report at all\r\n".utf8)
            #expect(await receiver.receive(.init(from: "", recipients: [bounceAddress], data: garbage), client: "127.0.0.1").code == 250)
            let kept = try await BounceReports(table: services.tables.bounceReports).reports(jobID: jobID, on: database)
            #expect(kept.map(\.outcome) == ["delayed 4.4.1", "failed 5.1.1", "unreadable bounce report: neither a delivery status part nor a 5.x.x status line was found"])
            let raw = try await database.raw("SELECT raw FROM \(ident: services.tables.bounceReports) ORDER BY id DESC LIMIT 1").first()
            #expect(try raw?.decode(column: "raw", as: Data.self) == Data(garbage), "kept byte for byte")
        }
    }
}
