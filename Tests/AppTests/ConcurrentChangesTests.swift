import Foundation
import JobQueue
import Testing
import TestSupport
import VaporTesting

@testable import App

/// Many users changing their address at once: on SQLite every connection writes the same file, and each change
/// must still succeed (waiting for the write lock) rather than fail with "database is locked".
///
/// Serialized: apps in one test process share Vapor's blocking thread pool (one thread per core), on which SQLite's
/// busy wait sleeps, so two write-heavy apps side by side can leave a lock holder no thread until the busy timeout.
/// A served process has one SQLite connection per event loop, so at most one fewer waiter than pool threads.
@Suite(.serialized)
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

    /// One user's changes racing each other: with the resend interval at 0 none is throttled, even when a change
    /// waiting for the row finds it stamped by another a moment after its own clock reading.
    @Test func racingChangesOfOneUserAreNotThrottledWhenTheIntervalIsZero() async throws {
        try await withMeiduo({ settings in
            settings.verifyEmailResendInterval = 0
        }) { app async throws in
            let client = Client(app: app)
            let account = try await client.register()
            for round in 0..<4 {
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for change in 0..<16 {
                        group.addTask {
                            let body = #"{"email":"racer.\#(round).\#(change)@example.com"}"#
                            return try await client.send(.PUT, "/email/", json: body, token: account.token).status.code
                        }
                    }
                    return try await group.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 }
                }
                #expect(statuses == [200: 16], "round \(round)")
            }
            #expect(try await app.jobQueue.countsByState()[.available] == 1, "the changes coalesce into one mail")
        }
    }
}
