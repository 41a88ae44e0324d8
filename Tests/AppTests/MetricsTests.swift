import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

struct MetricsTests {
    static func value(of series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    /// What the alerts read: how long the oldest due job has waited, whether the database answers, whether the
    /// server is ready — each at a scrape, with nothing polling /readyz.
    @Test func aScrapeTellsTheOldestWaitingJobTheDatabaseAndReadiness() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let empty = try await client.send(.get, "/metrics").body.string
            #expect(Self.value(of: "meiduo_jobs_oldest_available_age_seconds", in: empty) == 0)
            #expect(Self.value(of: "meiduo_database_up", in: empty) == 1)
            #expect(Self.value(of: "meiduo_ready", in: empty) == 1)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"\#(account.username)@example.com"}"#, token: account.token)
            try await Task.sleep(for: .milliseconds(1500))
            let waiting = try await client.send(.get, "/metrics").body.string
            let age = try #require(Self.value(of: "meiduo_jobs_oldest_available_age_seconds", in: waiting))
            #expect(age >= 1 && age < 60, "the queued mail has waited about 1.5 s: \(age)")
        }
    }

    @Test func theWalkThroughMovesTheFunnelByOneAndRequestsAreCounted() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"\#(account.username)@example.com"}"#, token: account.token)
            #expect(try await runWorker(app) { try mailFiles(app).count == 1 })
            let link = app.services.emailVerifier.link(userID: account.id, email: "\(account.username)@example.com")
            #expect(try await client.send(.get, "/emails/verification/?token=\(try token(inLink: link))").status == .ok)
            #expect(try await client.send(.get, "/emails/verification/?token=\(try token(inLink: link))").status == .ok)

            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.body.string
            for step in ["queued", "sent", "verified"] {
                #expect(Self.value(of: #"meiduo_verification_funnel_total{step="\#(step)"}"#, in: text) == 1, "\(step), verifying twice counts once")
            }
            #expect(Self.value(of: #"meiduo_jobs_processed_total{kind="send_verify_email",outcome="completed"}"#, in: text) == 1)
            #expect(Self.value(of: #"meiduo_jobs{state="completed"}"#, in: text) == 1)
            #expect(Self.value(of: #"meiduo_http_requests_total{route="/emails/verification",method="GET",status="200"}"#, in: text) == 2)
            #expect(Self.value(of: #"meiduo_http_requests_total{route="/users",method="POST",status="201"}"#, in: text) == 1)
            #expect(text.contains("meiduo_mail_send_duration_seconds_count{backend=\"file\"} 1"))
            #expect(!text.contains("token="), "no query string or token in a label")
        }
    }
}
