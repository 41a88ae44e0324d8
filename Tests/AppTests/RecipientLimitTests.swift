import Foundation
import JobQueue
import NIOConcurrencyHelpers
import SQLKit
import HTTPTypes
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// One address gets few verification mails, whichever accounts ask.
struct RecipientLimitTests {
    static func put(_ client: APIClient, _ account: APIClient.Account, _ address: String) async throws -> TestResponse {
        try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
    }

    @Test func threeAccountsAskingForOneStrangersAddressMailItOnce() async throws {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        try await withMeiduo({ $0.verifyEmailResendInterval = 60 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            var accounts: [APIClient.Account] = []
            for _ in 0..<4 { accounts.append(try await client.register()) }
            #expect(try await Self.put(client, accounts[0], "stranger@example.com").status == .ok)
            clock.withLockedValue { $0 += 20 }
            for account in accounts[1...2] {
                let refused = try await Self.put(client, account, "Stranger@Example.com")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers.first(name: "Retry-After") == "40")
                #expect(refused.body.string == #"{"detail":"该邮箱地址最近已收到过验证邮件，请 40 秒后再试。"}"#)
                #expect(try await client.profile(account).email == "", "a refused change changes nothing")
            }
            let queued = try await app.services.jobQueue.list(state: .available, limit: 10)
            #expect(queued.map(\.kind) == [SendVerifyEmailJob.kind], "one mail, not three")
            #expect(try await Self.put(client, accounts[3], "another@example.com").status == .ok, "other addresses are not held up")
            clock.withLockedValue { $0 += 40 }
            #expect(try await Self.put(client, accounts[1], "stranger@example.com").status == .ok, "after the interval")
        }
    }

    @Test func anAddressGetsAtMostTheDailyLimit() async throws {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        try await withMeiduo({ $0.verifyEmailResendInterval = 1; $0.verifyEmailRecipientDailyLimit = 3 },
                             clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                let account = try await client.register()
                statuses.append(try await Self.put(client, account, "daily@example.com").status)
                clock.withLockedValue { $0 += 10 }
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
            let account = try await client.register()
            let refused = try await Self.put(client, account, "daily@example.com")
            #expect(refused.headers.first(name: "Retry-After") == String(86_400 - 40), "until the day that began with the first mail is over")
            #expect(try await Self.put(client, try await client.register(), "other@example.com").status == .ok)
            clock.withLockedValue { $0 += 86_400 }
            #expect(try await Self.put(client, account, "daily@example.com").status == .ok, "a new day")
            let rows = try await app.db.raw("SELECT address FROM verification_recipients").all()
                .map { try $0.decode(column: "address", as: String.self) }
            #expect(rows == ["daily@example.com"], "rows that limit nothing any more are cleared")
        }
    }

    /// The account's own throttle comes first: a change it refuses takes nothing from the address's allowance.
    @Test func aChangeRefusedForTheAccountDoesNotCountAgainstTheAddress() async throws {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        try await withMeiduo({ $0.verifyEmailResendInterval = 60 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            #expect(try await Self.put(client, account, "one@example.com").status == .ok)
            clock.withLockedValue { $0 += 30 }
            let throttled = try await Self.put(client, account, "two@example.com")
            #expect(throttled.body.string == #"{"detail":"请求超过了限速。预计 30 秒后可用。"}"#)
            clock.withLockedValue { $0 += 30 }
            #expect(try await Self.put(client, account, "two@example.com").status == .ok)
        }
    }
}
