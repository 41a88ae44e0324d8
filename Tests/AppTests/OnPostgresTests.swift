import FluentKit
import Foundation
import JobQueue
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Testing
import TestSupport

@testable import API
@testable import App
@testable import Verification

/// What only PostgreSQL does: `scripts/test` runs this suite in its PostgreSQL pass.
@Suite(.enabled(if: ScratchPostgres.serverURL != nil, Comment(rawValue: ScratchPostgres.unavailable)))
struct OnPostgresTests {
    /// Workers in other processes learn of new jobs from PostgreSQL's NOTIFY, sent once the change has committed.
    @Test func aCommittedChangeWakesListenersAndARefusedOneDoesNot() async throws {
        try await withMeiduo { app in
            guard case .postgres(let url) = app.services.settings.databaseURL else {
                Issue.record("withMeiduo did not give a PostgreSQL database")
                return
            }
            let woken = WakeUpSignal()
            let listener = PostgresJobNotifications(url: url, wakeUp: woken, logger: app.logger).start()
            // The listener signals once when it starts listening (for jobs committed while nobody listened).
            try #require(await Self.signalled(woken, within: 30), "the listener never started listening")

            let client = APIClient(app: app)
            let account = try await client.register()
            let changed = try await client.send(.put, "/email/", json: #"{"email":"first@example.com"}"#, token: account.token)
            try #require(changed.status == .ok)
            #expect(await Self.signalled(woken, within: 30), "no notification for a committed change")

            let throttled = try await client.send(.put, "/email/", json: #"{"email":"second@example.com"}"#, token: account.token)
            try #require(throttled.status == .tooManyRequests)
            #expect(await !Self.signalled(woken, within: 2), "a refused change queued nothing, yet workers were woken")

            listener.cancel()
            await listener.value
        }
    }

    /// Whether `signal` fired before `seconds` passed.
    private static func signalled(_ signal: WakeUpSignal, within seconds: Double) async -> Bool {
        let started = ContinuousClock.now
        await signal.wait(seconds: seconds)
        return started.duration(to: .now) < .seconds(seconds)
    }

    /// A transaction's statements, hot reads included, run on its one connection as written (not as SQLite's
    /// `?1`): the path a shop's accounts table takes on PostgreSQL.
    @Test func aTransactionalChangeRunsItsHotReadInItsSession() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let services = app.services
            let write = AddressChangeWrite(userID: account.id, email: "session@example.com", now: Date(), resendInterval: 0, language: .zhCN,
                                           jobs: services.jobQueue, recipients: services.recipientLimit, deliveries: services.deliveries)
            let outcome = try await TransactionalAddressStore(database: app.db, accounts: OwnAccounts.self).attemptChange(write)
            guard case .changed = outcome else {
                Issue.record("the change was not written: \(String(describing: outcome))")
                return
            }
            #expect(try await client.profile(account).email == "session@example.com")
        }
    }

    /// The recipient count rides in the change's one statement; when another request changed the account between
    /// the read and that statement, the change decides again and writes, and the address is counted once, not twice.
    @Test func aChangeThatLosesARaceCountsItsAddressOnce() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let services = app.services
            let meanwhile = InterleavedStatements(base: app.db, before: "WITH recipient_share") { sql in
                try await sql.raw("UPDATE users SET email = 'meanwhile@example.com' WHERE id = \(bind: account.id)").run()
            }
            let write = AddressChangeWrite(userID: account.id, email: "Raced@example.com", now: Date(), resendInterval: 0, language: .zhCN,
                                           jobs: services.jobQueue, recipients: services.recipientLimit, deliveries: services.deliveries)
            let outcome = try await AddressChange(write: write).apply(in: PostgresAddressStore(database: meanwhile))
            guard case .changed = outcome else {
                Issue.record("the change was not written: \(outcome)")
                return
            }
            #expect(meanwhile.interleaved, "the other request's change never ran between the read and the write")
            let counts = try await app.db.raw("""
                SELECT (SELECT day_count FROM verification_recipients WHERE address = 'raced@example.com') AS address,
                       (SELECT day_count FROM verification_recipient_shares WHERE address = 'raced@example.com') AS share
                """).first().map { (try $0.decode(column: "address", as: Int.self), try $0.decode(column: "share", as: Int.self)) }
            #expect(counts.map { [$0.0, $0.1] } == [1, 1], "counted \(String(describing: counts))")
            #expect(try await client.profile(account).email == "Raced@example.com")
        }
    }

    /// The hot reads run as prepared statements: after one, its connection holds it.
    @Test func hotStatementsArePreparedOnTheirConnection() async throws {
        try await withMeiduo { app in
            let prepared = try await app.withConnection { sql in
                _ = try await AccountAddress.current(userID: 1, in: OwnAccounts.self, on: sql)
                return try await sql.raw("SELECT statement FROM pg_prepared_statements").all(decodingColumn: "statement", as: String.self)
            }
            #expect(prepared == [OwnAccounts.currentAddressSQL])
        }
    }
}

/// Runs `interleave` on the base database once, just before the first statement that begins with `prefix`: what
/// another request does in between.
final class InterleavedStatements: ForwardingDatabase, Sendable {
    let base: any SQLDatabase
    private let prefix: String
    private let interleave: @Sendable (any SQLDatabase) async throws -> Void
    private let done = NIOLockedValueBox(false)

    init(base: any SQLDatabase, before prefix: String, interleave: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.base = base
        self.prefix = prefix
        self.interleave = interleave
    }

    var interleaved: Bool { done.withLockedValue { $0 } }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if serialize(query).sql.hasPrefix(prefix), done.withLockedValue({ let first = !$0; $0 = true; return first }) {
            try await interleave(base)
        }
        try await base.execute(sql: query, onRow)
    }
}
