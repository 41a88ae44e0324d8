import Foundation
import JobQueue
import SMTPClient
import SQLKit
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// The verification mail through a real SMTP server (aiosmtpd) and the queue's reaction to its answers.
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct SMTPDeliveryTests {
    static func smtp(_ server: TestSMTPServer, _ security: SMTPConfiguration.Security = .none,
                     user: String? = nil, password: String = "") throws -> (inout Settings) -> Void {
        let configuration = SMTPConfiguration(
            host: "localhost", port: server.port, security: security,
            credentials: user.map { SMTPCredentials(user: $0, password: password) }, timeout: 5,
            extraTrustedCAFile: try TestCertificates.shared().authority)
        return { settings in
            settings.mail.backend = .smtp(configuration)
            settings.queue.queue.backoff = Backoff(base: 60, cap: 60)
        }
    }

    @Test func theWalkThroughDeliversThroughSTARTTLSAndAuth() async throws {
        let server = try TestSMTPServer.start(.startTLS(auth: ("shop", "pa55-word")))
        defer { server.stop() }
        try await withMeiduo(try Self.smtp(server, .startTLS, user: "shop", password: "pa55-word")) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(try await runWorker(app) { try server.received().count == 1 })
            let received = try #require(try server.received().first)
            #expect(received.mailFrom == "noreply@meiduo.site" && received.recipients == [address])
            let mail = try ParsedMail.parse(file: received.file)
            #expect(mail.from_name == "美多商城" && mail.from_address == "noreply@meiduo.site")
            #expect(mail.to == [address] && mail.subject == "美多商城邮箱验证")
            #expect(mail.content_type == "multipart/alternative" && mail.defects.isEmpty)
            let text = try #require(mail.text)
            let link = try #require(text.split(separator: "\n").first { $0.contains("token=") })
            #expect(mail.html?.contains("<a href=\"\(link)\">") == true)
            #expect(try await client.send(.get, "/emails/verification/?token=\(try token(inLink: String(link)))").status == .ok)
            #expect(try await client.profile(account).email_active)
            #expect(try await app.services.jobQueue.countsByState()[.completed] == 1)
        }
    }

    @Test func aWrongPasswordLeavesTheJobDeadWithTheAuthError() async throws {
        let server = try TestSMTPServer.start(.startTLS(auth: ("shop", "right")))
        defer { server.stop() }
        try await withMeiduo(try Self.smtp(server, .startTLS, user: "shop", password: "wrong")) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"a@example.com"}"#, token: account.token)
            #expect(try await runWorker(app) { try await app.services.jobQueue.countsByState()[.dead] == 1 })
            let dead = try #require(try await app.services.jobQueue.list(state: .dead, limit: 1).first)
            #expect(dead.attempt == 1)
            #expect(dead.lastError?.hasPrefix("AUTH failed: 535 5.7.8") == true, "\(dead.lastError ?? "")")
            #expect(try server.received().isEmpty)
        }
    }

    @Test func aPermanentRefusalIsDeadAtOnceATransientOneIsRetried() async throws {
        for (reply, expected) in [("550 5.1.1 No such user here", JobState.dead), ("451 4.3.0 Try again later", .available)] {
            let server = try TestSMTPServer.start(.refusingRecipients(reply: reply))
            defer { server.stop() }
            try await withMeiduo(try Self.smtp(server)) { app in
                let client = APIClient(app: app)
                let account = try await client.register()
                try await client.send(.put, "/email/", json: #"{"email":"a@example.com"}"#, token: account.token)
                #expect(try await runWorker(app) { try await app.services.jobQueue.list(state: nil, limit: 1).first?.lastError != nil })
                let job = try #require(try await app.services.jobQueue.list(state: nil, limit: 1).first)
                #expect(job.state == expected, "\(reply)")
                #expect(job.attempt == 1 && job.lastError == "RCPT TO failed: \(reply)")
                if expected == .available {
                    #expect(job.runAt > Int64(Date().timeIntervalSince1970 * 1000) + 20_000, "retried after the backoff, not at once")
                }
                // What the user and the operator see: bounced and suppressed for a 5xx, deferred with its next try for a 4xx.
                let database = app.db
                let latest = try #require(try await app.services.deliveries.latest(address: "a@example.com", on: database))
                let suppressed = try await app.services.suppressions.active(address: "a@example.com", at: Date(), on: database)
                if expected == .dead {
                    #expect(latest.state == "bounced" && latest.detail == DeliveryWording.refused(status: "5.1.1"))
                    #expect(suppressed?.status == "5.1.1")
                } else {
                    #expect(latest.state == "deferred" && latest.detail.contains("tried again by 20"), "\(latest.detail)")
                    #expect(suppressed == nil)
                }
                #expect(latest.operator_detail == "RCPT TO failed: \(reply)")
            }
        }
    }

    /// A local part beyond ASCII needs SMTPUTF8: taken, and sent with it, when the relay offers it (aiosmtpd with
    /// SMTPUTF8 on); a clear 400 when it does not.
    @Test func aNonASCIILocalPartIsMailedOnlyThroughARelayThatOffersSMTPUTF8() async throws {
        let offering = try TestSMTPServer.start(.smtpUTF8)
        defer { offering.stop() }
        try await withMeiduo(try Self.smtp(offering)) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let change = try await client.send(.put, "/email/", json: #"{"email":"用户@例子.中国"}"#, token: account.token)
            #expect(change.status == .ok && change.body.string.contains("用户@xn--fsqu00a.xn--fiqs8s"), "\(change.body.string)")
            #expect(try await runWorker(app) { try offering.received().count == 1 })
            let received = try #require(try offering.received().first)
            #expect(received.recipients == ["用户@xn--fsqu00a.xn--fiqs8s"])
            #expect(received.mailOptions.contains("SMTPUTF8"), "\(received.mailOptions)")
        }
        let plain = try TestSMTPServer.start(.plain)
        defer { plain.stop() }
        try await withMeiduo(try Self.smtp(plain)) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let refused = try await client.send(.put, "/email/", json: #"{"email":"用户@example.com"}"#, token: account.token)
            #expect(refused.status == .badRequest && refused.body.string.contains("SMTPUTF8"), "\(refused.body.string)")
            #expect(try await client.send(.put, "/email/", json: #"{"email":"user@例子.中国"}"#, token: account.token).status == .ok,
                    "an IDN domain alone needs no SMTPUTF8")
        }
    }
}
