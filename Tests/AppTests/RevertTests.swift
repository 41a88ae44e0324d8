import Foundation
import MeiduoTokens
import SignedToken
import NIOConcurrencyHelpers
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// "This was not me": the notice to a replaced verified address carries a link whose page, by button, puts the old
/// address back as verified — once, within REVERT_TTL — and the new address's links stop working.
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct RevertTests {
    /// An account whose verified `old` address was replaced by `new`; the revert link from the notice mailed to `old`.
    static func replaced(_ app: TestApp, _ client: APIClient) async throws -> (APIClient.Account, String, String, String) {
        let account = try await client.register()
        let old = "old.\(account.username)@example.com", new = "new.\(account.username)@example.com"
        try #require(try await client.send(.put, "/email/", json: #"{"email":"\#(old)"}"#, token: account.token).status == .ok)
        let verify = try token(inLink: app.services.emailVerifier.link(userID: account.id, email: old))
        try #require(try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(verify)"}"#).status == .ok)
        try #require(try await client.send(.put, "/email/", json: #"{"email":"\#(new)"}"#, token: account.token).status == .ok)
        // The second change before the worker ran replaced the first's verification mail: two mails.
        try #require(try await runWorker(app) { try mailFiles(app).count == 2 })
        var notice: ParsedMail?
        for file in try mailFiles(app) where try ParsedMail.parse(file: file).to == [old] && notice == nil {
            let mail = try ParsedMail.parse(file: file)
            if mail.subject.contains("变更") { notice = mail }
        }
        let text = try #require(notice?.text, "the notice to the old address")
        let link = try #require(text.split(separator: "\n").first { $0.contains("?revert=") })
        #expect(link.hasPrefix("http://127.0.0.1:8080/success_verify_email.html?revert="), "the verification page's")
        return (account, old, new, try token(inLink: String(link), parameter: "revert"))
    }

    @Test func theOldAddressComesBackVerifiedOnceAndTheNewLinksStop() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let (account, old, new, revert) = try await Self.replaced(app, client)
            let status = try await client.send(.get, "/emails/revert/status/?token=\(revert)")
            #expect(status.body.string == #"{"old_email":"\#(old)","new_email":"\#(EmailAddress.masked(new))","state":"pending"}"#)
            #expect(try await client.profile(account).email == new, "reading the link changes nothing")
            let payload = try #require(Base64URL.decode(revert.split(separator: ".")[1]))
            #expect(!String(decoding: payload, as: UTF8.self).contains(new), "the link does not carry the new address")

            let done = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(done.status == .ok && done.body.string == #"{"message":"OK","state":"reverted"}"#)
            let profile = try await client.profile(account)
            #expect(profile.email == old && profile.email_active)

            let again = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(again.status == .badRequest && again.body.string.contains(#""code":"already_used""#))
            #expect(try await client.send(.get, "/emails/revert/status/?token=\(revert)").body.string.contains(#""state":"used""#))
            let newLink = try token(inLink: app.services.emailVerifier.link(userID: account.id, email: new))
            #expect(try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(newLink)"}"#).body.string
                    .contains(#""code":"address_changed""#), "the new address's links stop working")
            #expect(try await client.profile(account).email == old)
            #expect(try await client.send(.get, "/metrics").body.string.contains("meiduo_email_reverts_total 1"))
        }
    }

    @Test func aLinkOfOneKindNeverPassesForTheOther() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let (account, old, _, revert) = try await Self.replaced(app, client)
            let asVerification = try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(revert)"}"#)
            #expect(asVerification.body.string.contains(#""code":"invalid""#))
            let verify = try token(inLink: app.services.emailVerifier.link(userID: account.id, email: old))
            let asRevert = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(verify)"}"#)
            #expect(asRevert.body.string.contains(#""code":"invalid""#))
        }
    }

    @Test func anExpiredLinkOrAnAccountThatMovedOnIsRefusedAndTheLinkStaysUnused() async throws {
        let clock = NIOLockedValueBox(Date())
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let (account, old, _, revert) = try await Self.replaced(app, client)
            try #require(try await client.send(.put, "/email/", json: #"{"email":"third.\#(account.username)@example.com"}"#, token: account.token).status == .ok)
            let movedOn = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(movedOn.body.string.contains(#""code":"address_changed""#))
            #expect(try await client.send(.get, "/emails/revert/status/?token=\(revert)").body.string.contains(#""state":"pending""#))
            #expect(try await client.profile(account).email != old)
            clock.withLockedValue { $0 += Double(app.services.settings.revertTTL) + 1 }
            let expired = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(expired.body.string == #"{"message":"\#(RevertController.expiredMessage)","code":"expired"}"#)
        }
    }
}
