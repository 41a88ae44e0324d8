import Foundation
import JobQueue
import Testing
import TestSupport

@testable import App

/// Workers in other processes learn of new jobs from PostgreSQL's NOTIFY, sent with the change's commit. Only on
/// PostgreSQL: `scripts/test` runs this suite in its PostgreSQL pass.
@Suite(.enabled(if: ScratchPostgres.serverURL != nil, "needs a PostgreSQL server: TEST_DATABASE_URL"))
struct PostgresJobNotificationTests {
    @Test func aCommittedChangeWakesListenersAndARefusedOneDoesNot() async throws {
        try await withMeiduo { app in
            guard case .postgres(let url) = app.settings.databaseURL else {
                Issue.record("withMeiduo did not give a PostgreSQL database")
                return
            }
            let woken = WakeUpSignal()
            let listener = PostgresJobNotifications(url: url, wakeUp: woken, logger: app.logger).start()
            // The listener signals once when it starts listening (for jobs committed while nobody listened).
            try #require(await Self.signalled(woken, within: 30), "the listener never started listening")

            let client = Client(app: app)
            let account = try await client.register()
            let changed = try await client.send(.PUT, "/email/", json: #"{"email":"first@example.com"}"#, token: account.token)
            try #require(changed.status == .ok)
            #expect(await Self.signalled(woken, within: 30), "no notification for a committed change")

            let throttled = try await client.send(.PUT, "/email/", json: #"{"email":"second@example.com"}"#, token: account.token)
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
}
