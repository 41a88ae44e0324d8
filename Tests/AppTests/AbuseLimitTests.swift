import Foundation
import NIOConcurrencyHelpers
import SMTPClient
import SQLKit
import HTTPTypes
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// What one account or one client can no longer do: spend a stranger address's daily mails, or try codes without
/// end across addresses, accounts or retried sends.
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct AbuseLimitTests {
    @Test func oneAccountGetsAtMostItsShareOfAnAddressesDailyMailsAndTheOwnerTheRest() async throws {
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        try await withMeiduo({ $0.verifyEmailResendInterval = 1; $0.verifyEmailRecipientDailyLimit = 5 }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let attacker = try await client.register()
            var statuses: [HTTPResponse.Status] = []
            for address in ["victim@example.com", "elsewhere@example.com", "Victim@example.com", "elsewhere@example.com", "victim@example.com"] {
                statuses.append(try await RecipientLimitTests.put(client, attacker, address).status)
                clock.withLockedValue { $0 += 61 }
            }
            #expect(statuses == [.ok, .ok, .ok, .ok, .tooManyRequests], "two of victim@'s mails for this account, then 429")
            let refused = try await RecipientLimitTests.put(client, attacker, "victim@example.com")
            #expect(refused.headers.first(name: "Retry-After") == String(86_400 - 5 * 61), "until the account's day with the address is over")
            let owner = try await client.register()
            for _ in 0..<2 {
                #expect(try await RecipientLimitTests.put(client, owner, "victim@example.com").status == .ok, "the rest stay for the owner")
                clock.withLockedValue { $0 += 61 }
                #expect(try await RecipientLimitTests.put(client, owner, "owner-other@example.com").status == .ok)
                clock.withLockedValue { $0 += 61 }
            }
            clock.withLockedValue { $0 += 86_400 }
            #expect(try await RecipientLimitTests.put(client, attacker, "victim@example.com").status == .ok, "a new day")
        }
    }

    /// A wrong code for this account's stored one, whatever it is.
    static func wrongCode(_ app: TestApp, _ account: APIClient.Account) async throws -> String {
        let stored = try #require(try await app.services.verificationCodes.stored(userID: account.id, on: app.db))
        return app.services.verificationCodes.matches("000000", stored, userID: account.id) ? "000001" : "000000"
    }

    static func guess(_ client: APIClient, _ account: APIClient.Account, _ code: String, from ip: String) async throws -> TestResponse {
        try await client.send(.post, "/emails/verification/", json: #"{"code":"\#(code)"}"#, token: account.token, headers: ["X-Forwarded-For": ip])
    }

    @Test func wrongCodesAreLimitedPerAccountAcrossAddressesAndPerClientAcrossAccounts() async throws {
        try await withMeiduo({
            $0.verifyEmailResendInterval = 0
            $0.verifyCodeDailyFailures = 3
            $0.rateLimitClientHeader = "X-Forwarded-For"
        }) { app in
            let client = APIClient(app: app)
            let first = try await client.register()
            _ = try await VerificationCodeTests.mailedCode(app, client, first, "first-1@example.com")
            for _ in 0..<2 {
                #expect(try await Self.guess(client, first, try await Self.wrongCode(app, first), from: "10.0.0.1").status == .badRequest)
            }
            // A new address, a new code with new tries: the account's day still counts.
            _ = try await VerificationCodeTests.mailedCode(app, client, first, "first-2@example.com")
            #expect(try await Self.guess(client, first, try await Self.wrongCode(app, first), from: "10.0.0.1").status == .badRequest)
            let refused = try await Self.guess(client, first, try await Self.wrongCode(app, first), from: "10.0.0.2")
            #expect(refused.status == .tooManyRequests, "the account's three are spent, from any client")
            let wait = Int(try #require(refused.headers.first(name: "Retry-After")))!
            #expect(wait > 0 && wait <= 86_400)

            let second = try await client.register()
            let code = try await VerificationCodeTests.mailedCode(app, client, second, "second@example.com")
            #expect(try await Self.guess(client, second, try await Self.wrongCode(app, second), from: "10.0.0.1").status == .tooManyRequests,
                    "the client's three are spent, on any account")
            #expect(try await Self.guess(client, second, try await Self.wrongCode(app, second), from: "10.0.0.3").status == .badRequest)
            let right = try await Self.guess(client, second, code, from: "10.0.0.3")
            #expect(right.status == .ok && right.body.string.contains("verified"), "\(right.body.string)")
        }
    }

    /// A relay that answers 451 has the job mail the same code again; the tries spent on it stay spent.
    @Test func aRetriedSendKeepsItsCodesTries() async throws {
        let server = try TestSMTPServer.start(.refusingRecipients(reply: "451 4.3.0 Try again later"))
        defer { server.stop() }
        try await withMeiduo(try SMTPDeliveryTests.smtp(server)) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"retried@example.com"}"#, token: account.token)
            let jobs = app.services.jobQueue
            // The job is back in the queue after its n-th attempt.
            let retried = { (attempt: Int) async throws -> Bool in
                let job = try await jobs.list(state: nil, limit: 1).first
                return job?.attempt == attempt && job?.state == .available
            }
            #expect(try await runWorker(app) { try await retried(1) })
            for _ in 0..<3 {
                #expect(try await Self.guess(client, account, try await Self.wrongCode(app, account), from: "10.0.0.1").status == .badRequest)
            }
            try await app.db.raw("UPDATE jobs SET run_at = 0").run()
            #expect(try await runWorker(app) { try await retried(2) })
            let stored = try #require(try await app.services.verificationCodes.stored(userID: account.id, on: app.db))
            #expect(stored.tries == 3, "the retried send mailed the same code without new tries")
            for expected in [HTTPResponse.Status.badRequest, .badRequest] {
                #expect(try await Self.guess(client, account, try await Self.wrongCode(app, account), from: "10.0.0.1").status == expected)
            }
            let locked = try await Self.guess(client, account, try await Self.wrongCode(app, account), from: "10.0.0.1")
            #expect(locked.body.string.contains("too_many_tries"), "\(locked.body.string)")
        }
    }
}
