import Foundation
import MeiduoTokens
import SignedToken
import NIOConcurrencyHelpers
import SQLKit
import Testing
import TestSupport
import HummingbirdTesting
import JWTKit

@testable import API
@testable import App
@testable import Verification

/// "This was not me": the notice to the last verified address carries a link whose page, by button, puts it back as
/// verified — once, within REVERT_TTL, whatever the account moved to since — ends every session, optionally sets a
/// new password, makes the next change need the password, and the new address's links stop working.
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
            let before = try await client.send(.get, "/user/", token: account.token)
            #expect(before.status == .unauthorized && before.body.string.contains("token_not_valid"), "a session from before the undo is over")
            let signedIn = try await Self.signIn(client, account, password: "password123")
            let profile = try await client.profile(signedIn)
            #expect(profile.email == old && profile.email_active)

            let again = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(again.status == .badRequest && again.body.string.contains(#""code":"already_used""#))
            #expect(try await client.send(.get, "/emails/revert/status/?token=\(revert)").body.string.contains(#""state":"used""#))
            let newLink = try token(inLink: app.services.emailVerifier.link(userID: account.id, email: new))
            #expect(try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(newLink)"}"#).body.string
                    .contains(#""code":"address_changed""#), "the new address's links stop working")
            #expect(try await client.profile(signedIn).email == old)
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

    static func signIn(_ client: APIClient, _ account: APIClient.Account, password: String) async throws -> APIClient.Account {
        let response = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"\#(password)"}"#)
        try #require(response.status == .ok, "\(response.body.string)")
        struct Token: Decodable { var token: String }
        return APIClient.Account(id: account.id, username: account.username,
                                 token: try JSONDecoder().decode(Token.self, from: Data(response.body.string.utf8)).token)
    }

    /// A → B → C, then A's link: A, verified; the link's new password replaces the one the other party used, and
    /// for REVERT_TTL a change needs the password.
    @Test func anUndoRestoresTheLastVerifiedAddressWhateverCameSinceAndLocksTheOtherPartyOut() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let (account, old, _, revert) = try await Self.replaced(app, client)
            let third = "third.\(account.username)@example.com"
            try #require(try await client.send(.put, "/email/", json: #"{"email":"\#(third)"}"#, token: account.token).status == .ok)
            let weak = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)","new_password":"short"}"#)
            #expect(weak.status == .badRequest && weak.body.string.contains("new_password"), "\(weak.body.string)")
            let done = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)","new_password":"owner-new-pass"}"#)
            #expect(done.status == .ok && done.body.string.contains("reverted"), "\(done.body.string)")
            #expect(try await client.send(.get, "/user/", token: account.token).status == .unauthorized)
            let oldPassword = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"password123"}"#)
            #expect(oldPassword.status == .badRequest, "the password the other party used no longer signs in")
            let owner = try await Self.signIn(client, account, password: "owner-new-pass")
            let profile = try await client.profile(owner)
            #expect(profile.email == old && profile.email_active)

            let elsewhere = "elsewhere.\(account.username)@example.com"
            let bare = try await client.send(.put, "/email/", json: #"{"email":"\#(elsewhere)"}"#, token: owner.token)
            #expect(bare.status == .badRequest && bare.body.string.contains(#""password""#), "\(bare.body.string)")
            let wrong = try await client.send(.put, "/email/", json: #"{"email":"\#(elsewhere)","password":"not-the-password"}"#, token: owner.token)
            #expect(wrong.status == .badRequest && wrong.body.string.contains(EmailController.wrongPassword))
            let same = try await client.send(.put, "/email/", json: #"{"email":"\#(old)"}"#, token: owner.token)
            #expect(same.status == .ok, "the verified address again changes nothing and needs nothing")
            let given = try await client.send(.put, "/email/", json: #"{"email":"\#(elsewhere)","password":"owner-new-pass"}"#, token: owner.token)
            #expect(given.status == .ok, "\(given.body.string)")
        }
    }

    /// Tokens from other issuers: drf-jwt's carry no `iat` (its issue time is its expiry less JWT_EXPIRATION),
    /// simplejwt's carry whole seconds. Each from before the undo is refused; one issued after is taken.
    @Test func anUndoEndsTokensWithoutIatOrWithWholeSecondsToo() async throws {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded(.down) + 0.5))
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let (account, _, _, revert) = try await Self.replaced(app, client)
            let keys = app.services.sessionKeys
            let lifetime = app.services.settings.jwtExpiration
            func token(issuedAt: Date, withIat: Bool, wholeSeconds: Bool = false) async throws -> String {
                var session = SessionToken(userID: account.id, username: account.username, lifetime: lifetime, now: issuedAt)
                session.iat = withIat ? IssuedAtClaim(value: wholeSeconds ? Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down)) : issuedAt) : nil
                return try await keys.sign(session)
            }
            let before = clock.withLockedValue { $0 }
            let drfBefore = try await token(issuedAt: before, withIat: false)
            let simpleBefore = try await token(issuedAt: before, withIat: true, wholeSeconds: true)
            #expect(try await client.send(.get, "/user/", token: drfBefore).status == .ok)
            clock.withLockedValue { $0 += 2 }
            #expect(try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#).status == .ok)
            for stale in [drfBefore, simpleBefore] {
                #expect(try await client.send(.get, "/user/", token: stale).status == .unauthorized)
            }
            clock.withLockedValue { $0 += 2 }
            let after = clock.withLockedValue { $0 }
            for fresh in [try await token(issuedAt: after, withIat: false), try await token(issuedAt: after, withIat: true, wholeSeconds: true)] {
                #expect(try await client.send(.get, "/user/", token: fresh).status == .ok)
            }
        }
    }

    @Test func anExpiredLinkIsRefusedAndAnAccountThatIsGoneIsNotRestored() async throws {
        let clock = NIOLockedValueBox(Date())
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let (account, _, _, revert) = try await Self.replaced(app, client)
            clock.withLockedValue { $0 += Double(app.services.settings.revertTTL) + 1 }
            let expired = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(expired.body.string == #"{"message":"\#(RevertController.expiredMessage)","code":"expired"}"#)
            clock.withLockedValue { $0 -= Double(app.services.settings.revertTTL) + 1 }
            try await app.db.raw("DELETE FROM users WHERE id = \(bind: account.id)").run()
            let gone = try await client.send(.post, "/emails/revert/", json: #"{"token":"\#(revert)"}"#)
            #expect(gone.body.string.contains(#""code":"address_changed""#))
            #expect(try await client.send(.get, "/emails/revert/status/?token=\(revert)").body.string.contains(#""state":"pending""#),
                    "the link stays unused")
        }
    }
}
