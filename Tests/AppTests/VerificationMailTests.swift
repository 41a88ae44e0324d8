import Foundation
import JobQueue
import NIOConcurrencyHelpers
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

struct VerificationMailTests {
    @Test(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
    func theMailForAnEmailChangeReadsRightAndItsLinkVerifies() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            let change = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(change.status == .ok)
            #expect(try await app.services.jobQueue.countsByState()[.available] == 1, "queued in the same transaction")
            #expect(try mailFiles(app).isEmpty, "nothing is sent before a worker runs")

            #expect(try await runWorker(app) { try mailFiles(app).count == 1 })
            let mail = try ParsedMail.parse(file: try #require(try mailFiles(app).first))
            #expect(mail.from_name == "美多商城")
            #expect(mail.from_address == "noreply@meiduo.site")
            #expect(mail.to == [address])
            #expect(mail.subject == "美多商城邮箱验证")
            #expect(mail.content_type == "multipart/alternative")
            #expect(mail.defects.isEmpty)
            let html = try #require(mail.html)
            let text = try #require(mail.text)
            #expect(html.contains("<p>尊敬的用户您好！</p>"))
            #expect(html.contains("<p>您的邮箱为：\(address) 。请点击此链接，在页面上点击“确认验证此邮箱”以激活您的邮箱：</p>"))
            #expect(html.contains("<p>（申请验证这个邮箱的是美多商城账户“\(account.username)”。）</p>"), "the mail names the account")
            #expect(text.contains("（申请验证这个邮箱的是美多商城账户“\(account.username)”。）"))
            let link = try #require(text.split(separator: "\n").first { $0.hasPrefix("http://127.0.0.1:8080/success_verify_email.html?token=") })
            #expect(html.contains("<a href=\"\(link)\">\(link)</a>"), "the HTML link is the text link, closed properly")
            #expect(try await app.services.jobQueue.countsByState()[.completed] == 1)

            let verify = try await client.send(.get, "/emails/verification/?token=\(try token(inLink: String(link)))")
            #expect(verify.status == .ok)
            #expect(try await client.profile(account).email_active)
        }
    }

    @Test func theAddressAndLinkAreHTMLEscapedInTheHTMLPart() async throws {
        try await withMeiduo { app in
            let renderer = MailRenderer(templatesDirectory: app.services.settings.mail.templatesDirectory, cachesTemplates: false,
                                        eventLoop: app.eventLoopGroup.any())
            let bodies = try await renderer.render(VerificationMail.templateName, subject: "s", context: VerificationMail.Context(
                siteName: "美多商城", email: "a&b'<x>@example.com", username: "u<1>", link: "http://h/p?token=a&x=\"1\"", expiresHours: 24, code: "012345", codeMinutes: 30))
            #expect(bodies.html.contains("a&amp;b&#39;&lt;x&gt;@example.com") || bodies.html.contains("a&amp;b&#x27;&lt;x&gt;@example.com"))
            #expect(bodies.html.contains("href=\"http://h/p?token=a&amp;x=&quot;1&quot;\""))
            #expect(bodies.text.contains("http://h/p?token=a&x=\"1\""), "the text part is not escaped")
        }
    }

    @Test func aSecondChangeWithinTheIntervalIs429ThenAllowedAfterIt() async throws {
        let clock = NIOLockedValueBox(Date())
        try await withMeiduo({ $0.verifyEmailResendInterval = 60 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            #expect(try await client.send(.put, "/email/", json: #"{"email":"one@example.com"}"#, token: account.token).status == .ok)
            clock.withLockedValue { $0 += 45.5 }
            let throttled = try await client.send(.put, "/email/", json: #"{"email":"two@example.com"}"#, token: account.token)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers.first(name: "Retry-After") == "15")
            #expect(throttled.body.string == #"{"detail":"请求超过了限速。预计 15 秒后可用。"}"#)
            #expect(try await client.profile(account).email == "one@example.com", "the refused change changed nothing")

            clock.withLockedValue { $0 += 15 }
            #expect(try await client.send(.put, "/email/", json: #"{"email":"two@example.com"}"#, token: account.token).status == .ok)
            #expect(try await runWorker(app) { try mailFiles(app).count == 1 }, "the two queued mails coalesced into the latest")
            let mail = try String(contentsOfFile: try #require(try mailFiles(app).first), encoding: .utf8)
            #expect(mail.contains("To: two@example.com\r\n"))
        }
    }

    @Test func anUnsendableJobGoesDeadWithItsReasonAndOthersStillGo() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await app.services.jobQueue.enqueue(SendVerifyEmailJob.self, .init(userID: account.id, email: "broken\r\n@example.com"), on: app.services.jobQueue.database)
            try await client.send(.put, "/email/", json: #"{"email":"fine@example.com"}"#, token: account.token)
            #expect(try await runWorker(app) { try await app.services.jobQueue.countsByState()[.dead] == 1 && mailFiles(app).count == 1 })
            let dead = try #require(try await app.services.jobQueue.list(state: .dead, limit: 1).first)
            #expect(dead.lastError?.contains("the recipient cannot be mailed") == true)
        }
    }
}
