import Foundation
import NIOConcurrencyHelpers
import HTTPTypes
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// The six-digit code in the verification mail, typed into the shop's own form with the user's session.
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct VerificationCodeTests {
    /// Sets `address` on `account`, runs the worker until the mail is written, and returns the code it carries.
    static func mailedCode(_ app: TestApp, _ client: APIClient, _ account: APIClient.Account, _ address: String) async throws -> String {
        let before = try mailFiles(app).count
        let change = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
        try #require(change.status == .ok)
        try #require(try await runWorker(app) { try mailFiles(app).count == before + 1 })
        let file = try #require(try mailFiles(app).last)
        let text = try #require(try ParsedMail.parse(file: file).text)
        let line = try #require(text.split(separator: "\n").first { $0.contains("验证码：") })
        let code = String(line.split(separator: "：").last!.prefix(6))
        try #require(code.count == 6 && code.allSatisfy(\.isNumber), "\(line)")
        return code
    }

    static func type(_ code: String, _ client: APIClient, _ account: APIClient.Account) async throws -> (HTTPResponse.Status, String) {
        let response = try await client.send(.post, "/emails/verification/", json: #"{"code":"\#(code)"}"#, token: account.token)
        return (response.status, response.body.string)
    }

    static func wrong(_ code: String) -> String { String(code.dropLast()) + (code.hasSuffix("0") ? "1" : "0") }

    @Test func theRightCodeVerifiesAndTheCodeNeedsTheSession() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let code = try await Self.mailedCode(app, client, account, "\(account.username)@example.com")
            let anonymous = try await client.send(.post, "/emails/verification/", json: #"{"code":"\#(code)"}"#)
            #expect(anonymous.status == .unauthorized)
            let other = try await client.register()
            #expect(try await Self.type(code, client, other).1.contains(#""code":"expired""#), "another account has no code")
            #expect(try await Self.type("12a456", client, account).1.contains(#""code":"malformed_code""#))
            #expect(try await client.profile(account).email_active == false)
            #expect(try await Self.type(code, client, account) == (.ok, #"{"message":"OK","state":"verified"}"#))
            #expect(try await client.profile(account).email_active)
            #expect(try await Self.type(code, client, account) == (.ok, #"{"message":"OK","state":"already_verified"}"#))
            let metrics = try await client.send(.get, "/metrics").body.string
            #expect(metrics.contains(#"meiduo_verification_confirmations_total{method="code"} 1"#))
        }
    }

    @Test func fiveWrongCodesLockItAndAResendsNewCodeWorks() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            let code = try await Self.mailedCode(app, client, account, address)
            for left in [4, 3, 2, 1] {
                #expect(try await Self.type(Self.wrong(code), client, account) ==
                        (.badRequest, #"{"message":"验证码错误，还可尝试 \#(left) 次。","code":"wrong_code","tries_left":\#(left)}"#))
            }
            let locked = #"{"message":"\#(CodeAttempt.tooManyTriesMessage)","code":"too_many_tries"}"#
            #expect(try await Self.type(Self.wrong(code), client, account) == (.badRequest, locked))
            #expect(try await Self.type(code, client, account) == (.badRequest, locked), "the right code after five wrong ones")
            #expect(try await client.profile(account).email_active == false)

            let newCode = try await Self.mailedCode(app, client, account, address)
            var wrongCodes = 5
            if newCode != code {  // one chance in a million that the new mail's code is the old one
                #expect(try await Self.type(code, client, account).1.contains(#""code":"wrong_code","tries_left":4"#), "the old code is gone")
                wrongCodes += 1
            }
            #expect(try await Self.type(newCode, client, account) == (.ok, #"{"message":"OK","state":"verified"}"#))
            let metrics = try await client.send(.get, "/metrics").body.string
            #expect(metrics.contains("meiduo_verification_wrong_codes_total \(wrongCodes)"))
        }
    }

    @Test func anExpiredCodeSaysSoAndACodeForAReplacedAddressToo() async throws {
        let clock = NIOLockedValueBox(Date())
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let code = try await Self.mailedCode(app, client, account, "\(account.username)@example.com")
            clock.withLockedValue { $0 += Double(app.services.settings.verifyCodeTTL) + 1 }
            #expect(try await Self.type(code, client, account) ==
                    (.badRequest, #"{"message":"\#(CodeAttempt.expiredMessage)","code":"expired"}"#))

            let fresh = try await Self.mailedCode(app, client, account, "first.\(account.username)@example.com")
            try #require(try await client.send(.put, "/email/", json: #"{"email":"second.\#(account.username)@example.com"}"#, token: account.token).status == .ok)
            #expect(try await Self.type(fresh, client, account) ==
                    (.badRequest, #"{"message":"\#(LinkVerification.addressChangedMessage)","code":"address_changed"}"#))
        }
    }
}
