import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// The per-client limit on sign-in and registration (`AUTH_RATE_LIMIT`), counted in the database.
struct RateLimitTests {
    @Test func signInBeyondTheLimitIs429UntilTheWindowEnds() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)  // the start of a 60-second window
        let clock = NIOLockedValueBox(start)
        try await withMeiduo({ $0.authRateLimit = RateLimit(requests: 3, seconds: 60) }, clock: { clock.withLockedValue { $0 } }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let wrong = #"{"username":"\#(account.username)","password":"wrong-password"}"#
            for _ in 0..<3 {
                #expect(try await client.send(.POST, "/authorizations/", json: wrong).status == .badRequest)
            }
            clock.withLockedValue { $0 += 20 }
            let right = #"{"username":"\#(account.username)","password":"password123"}"#
            let refused = try await client.send(.POST, "/authorizations/", json: right)
            #expect(refused.status == .tooManyRequests, "the right password too: the limit counts requests, not failures")
            #expect(refused.headers.first(name: "Retry-After") == "40")
            #expect(refused.body.string == #"{"detail":"请求超过了限速。预计 40 秒后可用。"}"#)

            clock.withLockedValue { $0 += 40 }
            #expect(try await client.send(.POST, "/authorizations/", json: right).status == .ok)
        }
    }

    @Test func registrationAndSignInAreCountedApart() async throws {
        try await withMeiduo({ $0.authRateLimit = RateLimit(requests: 2, seconds: 3600) }) { app in
            let client = APIClient(app: app)
            let first = try await client.register()
            _ = try await client.register()
            let third = try await client.send(.POST, "/users/", json: #"{"username":"\#(uniqueUsername())","password":"password123"}"#)
            #expect(third.status == .tooManyRequests)
            let signIn = #"{"username":"\#(first.username)","password":"password123"}"#
            #expect(try await client.send(.POST, "/authorizations/", json: signIn).status == .ok)
            #expect(try await client.send(.GET, "/user/", token: first.token).status == .ok, "other routes are not limited")
        }
    }

    @Test func behindAProxyEachForwardedClientHasItsOwnCount() async throws {
        let behindProxy: (inout Settings) -> Void = { settings in
            settings.authRateLimit = RateLimit(requests: 1, seconds: 3600)
            settings.rateLimitClientHeader = "X-Forwarded-For"
        }
        try await withMeiduo(behindProxy) { app async throws in
            let client = APIClient(app: app)
            let body = #"{"username":"nobody_here","password":"password123"}"#
            func signIn(from address: String) async throws -> HTTPStatus {
                try await client.send(.POST, "/authorizations/", json: body, headers: ["X-Forwarded-For": address]).status
            }
            #expect(try await signIn(from: "203.0.113.7, 10.0.0.1") == .badRequest)
            #expect(try await signIn(from: "203.0.113.7") == .tooManyRequests, "the first entry is the client")
            #expect(try await signIn(from: "198.51.100.9") == .badRequest)
        }
    }

    @Test func theSettingParsesOrSaysWhatIsWrong() throws {
        #expect(try Settings.load(from: ["AUTH_RATE_LIMIT": "5/30"], production: false).authRateLimit == RateLimit(requests: 5, seconds: 30))
        #expect(try Settings.load(from: ["AUTH_RATE_LIMIT": "off"], production: false).authRateLimit == nil)
        #expect(try Settings.load(from: [:], production: false).authRateLimit == RateLimit(requests: 20, seconds: 60))
        for bad in ["5", "0/60", "5/0", "-1/60", "five/60", "5/60/2"] {
            #expect(throws: SettingsError.self, "\(bad)") { try Settings.load(from: ["AUTH_RATE_LIMIT": bad], production: false) }
        }
    }
}
