import Foundation
import JobQueue
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// A verified address that is replaced is told so, with the new address masked; nothing else is.
struct EmailChangeNoticeTests {
    private static let parser = Comment(rawValue: ReferencePython.unavailable)

    @Test(.enabled(if: ReferencePython.executable != nil, parser))
    func replacingAVerifiedAddressMailsTheOldOneANoticeNamingTheNewOneMasked() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            let old = "owner.\(account.username)@example.com"
            try await verify(old, for: account, client: client, app: app)

            let new = "zed.\(account.username)@example.org"
            #expect(try await client.send(.put, "/email/", json: #"{"email":"\#(new)"}"#, token: account.token).status == .ok)
            #expect(try await app.services.jobQueue.countsByState()[.available] == 2, "verification and notice queued together")
            #expect(try await runWorker(app) { try mailFiles(app).count == 3 })

            let mails = try mailFiles(app).map { try ParsedMail.parse(file: $0) }
            let notice = try #require(mails.first { $0.subject == "美多商城邮箱变更通知" })
            #expect(notice.to == [old])
            #expect(notice.from_address == "noreply@meiduo.site")
            #expect(notice.defects.isEmpty)
            let text = try #require(notice.text)
            let html = try #require(notice.html)
            #expect(text.contains("已由 \(old) 更改为 z***@example.org 。"))
            #expect(html.contains("<p>您在美多商城的账号邮箱已由 \(old) 更改为 z***@example.org 。</p>"))
            for body in [text, html] {
                #expect(!body.contains(new), "the new address is never shown in full")
                #expect(!body.contains("?token="), "the notice carries no verification link")
                #expect(body.contains("success_verify_email.html?revert="), "but a link that puts the old address back")
            }
            #expect(mails.filter { $0.subject == "美多商城邮箱验证" }.map(\.to) == [[old], [new]])
            #expect(try await app.services.jobQueue.countsByState()[.completed] == 3)
            let profile = try await client.profile(account)
            #expect(profile.email == new && !profile.email_active)
        }
    }

    @Test func changingAnUnverifiedAddressSendsNoNotice() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            for address in ["one@example.com", "two@example.com"] {
                #expect(try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status == .ok)
            }
            #expect(try await queuedKinds(app) == [SendVerifyEmailJob.kind], "the two verifications coalesced; no notice")
        }
    }

    @Test(.enabled(if: ReferencePython.executable != nil, parser))
    func reenteringTheVerifiedAddressInAnyCaseChangesNothingAndMailsNothing() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await verify("same@example.com", for: account, client: client, app: app)
            for address in ["same@example.com", "Same@Example.com"] {
                #expect(try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status == .ok)
            }
            #expect(try await queuedKinds(app) == [], "no mail at all")
            let profile = try await client.profile(account)
            #expect(profile.email == "same@example.com" && profile.email_active, "still verified")
        }
    }

    /// The dodge: B (unverified) → C used to notify nobody; now the last verified address hears of every move.
    @Test(.enabled(if: ReferencePython.executable != nil, parser))
    func aMoveFromAnUnverifiedAddressStillNotifiesTheLastVerifiedOne() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await verify("owner@example.com", for: account, client: client, app: app)
            for address in ["b@example.com", "c@example.com"] {
                #expect(try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status == .ok)
            }
            let notices = try await app.services.jobQueue.list(state: .available, limit: 10).filter { $0.kind == SendEmailChangedNoticeJob.kind }
            #expect(notices.count == 1, "the two notices not yet sent coalesce")
            let notice = try JSONDecoder().decode(SendEmailChangedNoticeJob.Payload.self, from: Data(try #require(notices.first).payload.utf8))
            #expect(notice.oldEmail == "owner@example.com" && notice.newEmail == "c@example.com")
        }
    }

    @Test func aNoticeThatCannotBeMailedGoesDeadWithItsReason() async throws {
        try await withMeiduo { app async throws in
            try await app.services.jobQueue.enqueue(SendEmailChangedNoticeJob.self,
                                           .init(userID: 1, oldEmail: "old\r\nBcc: x@example.com", newEmail: "new@example.com"),
                                           on: app.services.jobQueue.database)
            #expect(try await runWorker(app) { try await app.services.jobQueue.countsByState()[.dead] == 1 })
            let dead = try #require(try await app.services.jobQueue.list(state: .dead, limit: 1).first)
            #expect(dead.lastError?.contains("the recipient cannot be mailed") == true)
            #expect(try mailFiles(app).isEmpty)
        }
    }

    /// Sets the address, delivers its verification mail and follows the link.
    private func verify(_ address: String, for account: APIClient.Account, client: APIClient, app: TestApp) async throws {
        let sent = try mailFiles(app).count
        try #require(try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status == .ok)
        try #require(try await runWorker(app) { try mailFiles(app).count == sent + 1 })
        let newest = try #require(try mailFiles(app).last)
        let text = try #require(try ParsedMail.parse(file: newest).text)
        let link = try #require(text.split(separator: "\n").first { $0.contains("token=") })
        try #require(try await client.send(.get, "/emails/verification/?token=\(try token(inLink: String(link)))").status == .ok)
        try #require(try await client.profile(account).email_active)
    }

    private func queuedKinds(_ app: TestApp) async throws -> [String] {
        try await app.services.jobQueue.list(state: .available, limit: 10).map(\.kind)
    }
}
