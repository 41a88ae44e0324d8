import Foundation
import JobQueue
import Testing
import TestSupport
import VaporTesting

@testable import App

/// Many users changing their address at once: on SQLite every connection writes the same file, and each change
/// must still succeed (waiting for the write lock) rather than fail with "database is locked".
struct ConcurrentChangesTests {
    @Test func concurrentAddressChangesAllSucceedAndEachQueuesItsMail() async throws {
        try await withMeiduo({ settings in
            settings.verifyEmailResendInterval = 0
            settings.authRateLimit = nil
        }) { app async throws in
            let client = Client(app: app)
            var accounts: [Client.Account] = []
            for _ in 0..<24 { accounts.append(try await client.register()) }
            for round in 0..<3 {
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for account in accounts {
                        group.addTask {
                            let body = #"{"email":"\#(account.username).\#(round)@example.com"}"#
                            return try await client.send(.PUT, "/email/", json: body, token: account.token).status.code
                        }
                    }
                    return try await group.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 }
                }
                #expect(statuses == [200: accounts.count], "round \(round)")
            }
            #expect(try await app.jobQueue.countsByState()[.available] == accounts.count, "one queued mail per user, to the latest address")
        }
    }
}
