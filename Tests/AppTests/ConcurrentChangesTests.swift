import Foundation
import JobQueue
import SQLKit
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// Many users changing their address at once: on SQLite every connection writes the same file, and each change
/// must still succeed (waiting for the write lock) rather than fail with "database is locked".
///
/// Serialized: apps in one test process share NIO's blocking thread pool (one thread per core), on which SQLite's
/// busy wait sleeps, so two write-heavy apps side by side can leave a lock holder no thread until the busy timeout.
/// A served process has one SQLite connection per event loop, so at most one fewer waiter than pool threads.
@Suite(.serialized)
struct ConcurrentChangesTests {
    @Test func concurrentAddressChangesAllSucceedAndEachQueuesItsMail() async throws {
        try await withMeiduo({ settings in
            settings.verifyEmailResendInterval = 0
            settings.authRateLimit = nil
        }) { app async throws in
            let client = APIClient(app: app)
            var accounts: [APIClient.Account] = []
            for _ in 0..<24 { accounts.append(try await client.register()) }
            for round in 0..<3 {
                let statuses = try await Self.send(accounts.map { ($0, "\($0.username).\(round)@example.com") }, client: client)
                #expect(statuses == [200: accounts.count], "round \(round)")
            }
            #expect(try await app.services.jobQueue.countsByState()[.available] == accounts.count, "one queued mail per user, to the latest address")
        }
    }

    /// One user's changes racing each other: with the resend interval at 0 none is throttled, even when a change
    /// waiting for the row finds it stamped by another a moment after its own clock reading.
    @Test func racingChangesOfOneUserAreNotThrottledWhenTheIntervalIsZero() async throws {
        try await withMeiduo({ settings in
            settings.verifyEmailResendInterval = 0
        }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            for round in 0..<4 {
                let statuses = try await Self.send((0..<16).map { (account, "racer.\(round).\($0)@example.com") }, client: client)
                #expect(statuses == [200: 16], "round \(round)")
            }
            #expect(try await app.services.jobQueue.countsByState()[.available] == 1, "the changes coalesce into one mail")
        }
    }

    /// Within the resend interval, of racing changes exactly one goes through; the others are throttled.
    @Test func ofRacingChangesWithinTheIntervalExactlyOneGoesThrough() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 60 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            let statuses = try await Self.send((0..<16).map { (account, "once.\($0)@example.com") }, client: client)
            #expect(statuses == [200: 1, 429: 15])
            let queued = try await app.services.jobQueue.list(state: .available, limit: 10)
            #expect(queued.map(\.kind) == [SendVerifyEmailJob.kind])
            let address = try await client.profile(account).email
            #expect(queued.first?.payload.contains(address) == true, "the mail goes to the address that was stored")
        }
    }

    /// Racing changes away from a verified address: each is a move away from the last verified address and
    /// notifies it, and the notices not yet sent coalesce into one, naming the latest address.
    @Test func racingChangesAwayFromAVerifiedAddressQueueOneNotice() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app async throws in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await app.db.raw("""
                UPDATE users SET email = 'verified@example.com', email_active = true WHERE id = \(bind: account.id)
                """).run()
            let statuses = try await Self.send((0..<16).map { (account, "away.\($0)@example.com") }, client: client)
            #expect(statuses == [200: 16])
            let notices = try await app.services.jobQueue.list(state: .available, limit: 20).filter { $0.kind == SendEmailChangedNoticeJob.kind }
            #expect(notices.count == 1)
            let notice = try JSONDecoder().decode(SendEmailChangedNoticeJob.Payload.self, from: Data(try #require(notices.first).payload.utf8))
            #expect(notice.oldEmail == "verified@example.com")
        }
    }

    /// On SQLite the write transactions of every event loop run on one connection, taking turns, rather than meet
    /// each other in SQLite's busy wait: with the wait turned off, none of forty at once, begun from every event
    /// loop, finds the database locked. (On PostgreSQL they wait for the row's lock, and all forty succeed too.)
    @Test func writeTransactionsFromEveryEventLoopTakeTurns() async throws {
        try await withMeiduo { app async throws in
            let loops = Array(app.eventLoopGroup.makeIterator())
            try #require(loops.count > 1, "one connection per event loop: two loops are needed for two writers")
            if app.db.dialect.name == "sqlite" {
                for loop in loops { try await app.databases.sql(logger: app.logger, on: loop).raw("PRAGMA busy_timeout=0").run() }
            }
            let account = try await APIClient(app: app).register()
            let failures = await withTaskGroup(of: String?.self) { group in
                for index in 0..<40 {
                    let database = app.databases.sql(logger: app.logger, on: loops[index % loops.count], pooler: .none)
                    group.addTask {
                        do {
                            try await database.writeTransaction { sql in
                                _ = try await AccountAddress.current(userID: account.id, in: OwnAccounts.self, on: sql)
                                try await sql.raw("UPDATE users SET updated_at = \(bind: Date()) WHERE id = \(bind: account.id)").run()
                            }
                            return nil
                        } catch {
                            return String(describing: error)
                        }
                    }
                }
                return await group.compactMap { $0 }.reduce(into: []) { $0.append($1) }
            }
            #expect(failures.isEmpty, "\(failures.count) of 40 failed: \(failures.first ?? "")")
        }
    }

    /// Sends all the changes (`PUT /email/`) at once; counts the answers by status.
    private static func send(_ changes: [(APIClient.Account, String)], client: APIClient) async throws -> [Int: Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (account, address) in changes {
                group.addTask {
                    try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status.code
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
        }
    }
}
