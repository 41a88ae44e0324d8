import Foundation
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// The language a mail is asked in — a `language` field, else `Accept-Language` — is stored with its job and used
/// for the mail and its link's page.
struct MailLanguageTests {
    @Test func acceptLanguageIsReadWithItsQValues() {
        #expect(MailLanguage.preferred(acceptLanguage: "en-US,en;q=0.9,zh;q=0.8") == .en)
        #expect(MailLanguage.preferred(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .zhCN)
        #expect(MailLanguage.preferred(acceptLanguage: "fr, en;q=0.5") == .en)
        #expect(MailLanguage.preferred(acceptLanguage: "en;q=0, zh-Hans") == .zhCN)
        #expect(MailLanguage.preferred(acceptLanguage: "zh;q=0.4, en-GB;q=0.7") == .en)
        #expect(MailLanguage.preferred(acceptLanguage: "fr, de") == nil)
        #expect(MailLanguage.preferred(acceptLanguage: nil) == nil)
    }

    /// The newest mail, parsed, once the worker has written `count` in all.
    static func newestMail(_ app: TestApp, count: Int) async throws -> ParsedMail {
        try #require(try await runWorker(app) { try mailFiles(app).count == count })
        let file = try #require(try mailFiles(app).last)
        return try ParsedMail.parse(file: file)
    }

    @Test(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
    func theMailIsInTheLanguageAskedForAndItsLinkSaysSo() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let english = try await client.send(.put, "/email/", json: #"{"email":"en.\#(account.username)@example.com"}"#,
                                                token: account.token, headers: ["Accept-Language": "en-US,en;q=0.9,zh;q=0.8"])
            #expect(english.status == .ok)
            let mail = try await Self.newestMail(app, count: 1)
            #expect(mail.subject == "美多商城: verify your email address")
            let text = try #require(mail.text)
            #expect(text.hasPrefix("Hello,") && text.contains("type this code"))
            #expect(text.split(separator: "\n").contains { $0.hasPrefix("http://127.0.0.1:8080/success_verify_email.html?token=") && $0.hasSuffix("&lang=en") })

            let chinese = try await client.send(.put, "/email/", json: #"{"email":"zh.\#(account.username)@example.com","language":"zh-CN"}"#,
                                                token: account.token, headers: ["Accept-Language": "en"])
            #expect(chinese.status == .ok)
            let zh = try await Self.newestMail(app, count: 2)
            #expect(zh.subject == "美多商城邮箱验证" && (zh.text ?? "").hasPrefix("尊敬的用户您好！"))
            #expect(!(zh.text ?? "").contains("lang="))

            let unknown = try await client.send(.put, "/email/", json: #"{"email":"x.\#(account.username)@example.com","language":"fr"}"#, token: account.token)
            #expect(unknown.status == .badRequest)
            #expect(unknown.body.string == #"{"language":["不支持的语言：可选 zh-CN 或 en。"]}"#)
        }
    }

    /// A mail queued in Chinese is sent in Chinese when the default has become English; one queued before the
    /// language was recorded takes the default.
    @Test(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
    func aQueuedMailKeepsItsLanguageWhenTheDefaultChanges() async throws {
        try await withMeiduo({ $0.mail.defaultLanguage = .en }) { app in
            let queue = app.services.jobQueue
            let sql = queue.database
            try await queue.enqueue(SendVerifyEmailJob.self, .init(userID: 1, email: "queued.zh@example.com", username: "u", language: .zhCN), on: sql)
            #expect(try await Self.newestMail(app, count: 1).subject == "美多商城邮箱验证")
            try await queue.enqueue(SendVerifyEmailJob.self, .init(userID: 1, email: "queued.old@example.com", username: "u", language: nil), on: sql)
            #expect(try await Self.newestMail(app, count: 2).subject == "美多商城: verify your email address")
        }
    }
}
