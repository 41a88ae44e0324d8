import Testing
import VaporTesting

@testable import App

struct PageAndCORSTests {
    static let frontEnd = "http://www.meiduo.site:8080"

    @Test func theVerificationPageIsServed() async throws {
        try await withMeiduo { app in
            let page = try await APIClient(app: app).send(.GET, "/success_verify_email.html?token=abc")
            #expect(page.status == .ok)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains(#"<div id="result" role="status" aria-live="polite""#))
            #expect(!page.body.string.contains("://cdn"), "no external URL")
        }
    }

    @Test func aPreflightFromAnAllowedOriginIsAnswered() async throws {
        try await withMeiduo({ $0.corsAllowedOrigins = [Self.frontEnd] }) { app in
            let client = APIClient(app: app)
            let preflight = try await client.send(.OPTIONS, "/email/", headers: [
                "Origin": Self.frontEnd, "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "authorization, content-type",
            ])
            #expect(preflight.status == .ok)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == Self.frontEnd)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods")?.contains("PUT") == true)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers")?.lowercased().contains("authorization") == true)

            let failure = try await client.send(.GET, "/emails/verification/?token=bad", headers: ["Origin": Self.frontEnd])
            #expect(failure.status == .badRequest)
            #expect(failure.headers.first(name: "Access-Control-Allow-Origin") == Self.frontEnd, "errors are readable cross-origin too")
        }
    }

    @Test func anotherOriginGetsNoCORSHeaders() async throws {
        try await withMeiduo({ $0.corsAllowedOrigins = [Self.frontEnd] }) { app in
            let response = try await APIClient(app: app).send(.GET, "/emails/verification/", headers: ["Origin": "http://evil.example"])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") != "http://evil.example")
        }
    }

    @Test func withoutCORSSettingsNoOriginIsAllowed() async throws {
        try await withMeiduo { app in
            let response = try await APIClient(app: app).send(.GET, "/emails/verification/", headers: ["Origin": Self.frontEnd])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == nil)
        }
    }
}
