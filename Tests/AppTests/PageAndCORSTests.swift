import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

struct PageAndCORSTests {
    static let frontEnd = "http://www.meiduo.site:8080"

    @Test func theVerificationPageIsServed() async throws {
        try await withMeiduo { app in
            let page = try await APIClient(app: app).send(.get, "/success_verify_email.html?token=abc")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.string.contains(#"<div id="result" role="status" aria-live="polite""#))
            #expect(!page.body.string.contains("://cdn"), "no external URL")
        }
    }

    @Test func aPreflightFromAnAllowedOriginIsAnswered() async throws {
        try await withMeiduo({ $0.corsAllowedOrigins = [Self.frontEnd] }) { app in
            let client = APIClient(app: app)
            let preflight = try await client.send(.options, "/email/", headers: [
                "Origin": Self.frontEnd, "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "authorization, content-type",
            ])
            #expect(preflight.status == .ok)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == Self.frontEnd)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods")?.contains("PUT") == true)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers")?.lowercased().contains("authorization") == true)

            let failure = try await client.send(.get, "/emails/verification/?token=bad", headers: ["Origin": Self.frontEnd])
            #expect(failure.status == .badRequest)
            #expect(failure.headers.first(name: "Access-Control-Allow-Origin") == Self.frontEnd, "errors are readable cross-origin too")
        }
    }

    @Test func anotherOriginGetsNoCORSHeaders() async throws {
        try await withMeiduo({ $0.corsAllowedOrigins = [Self.frontEnd] }) { app in
            let response = try await APIClient(app: app).send(.get, "/emails/verification/", headers: ["Origin": "http://evil.example"])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") != "http://evil.example")
        }
    }

    @Test func withoutCORSSettingsNoOriginIsAllowed() async throws {
        try await withMeiduo { app in
            let response = try await APIClient(app: app).send(.get, "/emails/verification/", headers: ["Origin": Self.frontEnd])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == nil)
        }
    }

    /// The page's URL holds a token: no Referer takes it elsewhere, no site frames the page, and the API's answers
    /// are never rendered as documents.
    @Test func thePageAndTheAPISayWhereTheirContentMayGo() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let page = try await client.send(.get, "/success_verify_email.html?token=abc")
            #expect(page.headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'unsafe-inline'") == true)
            for response in [try await client.send(.get, "/emails/verification/?token=bad"), try await client.send(.get, "/healthz")] {
                #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer")
                #expect(response.headers.first(name: "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
        }
    }

    /// A cache in front must not give one origin's CORS answer to another.
    @Test func withCORSEveryAnswerVariesByOrigin() async throws {
        try await withMeiduo({ $0.corsAllowedOrigins = [Self.frontEnd] }) { app in
            let client = APIClient(app: app)
            for headers: [String: String] in [["Origin": Self.frontEnd], ["Origin": "http://evil.example"], [:]] {
                let response = try await client.send(.get, "/emails/verification/?token=bad", headers: headers)
                #expect(response.headers[values: .vary].joined(separator: ",").lowercased().contains("origin"), "\(headers)")
            }
        }
    }

    @Test func aMetricsTokenGuardsTheMetrics() async throws {
        try await withMeiduo({ $0.metricsToken = "scrape-secret-0123456789" }) { app in
            let client = APIClient(app: app)
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            #expect(try await client.send(.get, "/metrics", token: "scrape-secret-012345678", scheme: "Bearer").status == .unauthorized)
            let allowed = try await client.send(.get, "/metrics", token: "scrape-secret-0123456789", scheme: "Bearer")
            #expect(allowed.status == .ok)
            #expect(allowed.body.string.contains("meiduo_jobs"))
        }
        try await withMeiduo { app in
            let open = try await APIClient(app: app).send(.get, "/metrics")
            #expect(open.status == .ok, "open without a token, as before")
        }
    }
}
