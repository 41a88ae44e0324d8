import Foundation
import NIOConcurrencyHelpers
import SQLKit
import HTTPTypes
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

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
                #expect(try await client.send(.post, "/authorizations/", json: wrong).status == .badRequest)
            }
            clock.withLockedValue { $0 += 20 }
            let right = #"{"username":"\#(account.username)","password":"password123"}"#
            let refused = try await client.send(.post, "/authorizations/", json: right)
            #expect(refused.status == .tooManyRequests, "the right password too: the limit counts requests, not failures")
            #expect(refused.headers.first(name: "Retry-After") == "40")
            #expect(refused.body.string == #"{"detail":"请求超过了限速。预计 40 秒后可用。"}"#)

            clock.withLockedValue { $0 += 40 }
            #expect(try await client.send(.post, "/authorizations/", json: right).status == .ok)
        }
    }

    @Test func registrationAndSignInAreCountedApart() async throws {
        try await withMeiduo({ $0.authRateLimit = RateLimit(requests: 2, seconds: 3600) }) { app in
            let client = APIClient(app: app)
            let first = try await client.register()
            _ = try await client.register()
            let third = try await client.send(.post, "/users/", json: #"{"username":"\#(uniqueUsername())","password":"password123"}"#)
            #expect(third.status == .tooManyRequests)
            let signIn = #"{"username":"\#(first.username)","password":"password123"}"#
            #expect(try await client.send(.post, "/authorizations/", json: signIn).status == .ok)
            #expect(try await client.send(.get, "/user/", token: first.token).status == .ok, "other routes are not limited")
        }
    }

    /// Behind one trusted proxy the client is the entry that proxy appended, the last; what the client wrote to
    /// its left changes nothing, a malformed address counts as the peer, and an IPv6 host is counted by its /64.
    @Test func behindAProxyTheClientIsWhatTheProxySawNotWhatTheClientWrote() async throws {
        let behindProxy: (inout Settings) -> Void = { settings in
            settings.authRateLimit = RateLimit(requests: 5, seconds: 3600)
            settings.rateLimitClientHeader = "X-Forwarded-For"
        }
        try await withMeiduo(behindProxy) { app async throws in
            let client = APIClient(app: app)
            let body = #"{"username":"nobody_here","password":"password123"}"#
            func signIn(from forwarded: String) async throws -> HTTPResponse.Status {
                try await client.send(.post, "/authorizations/", json: body, headers: ["X-Forwarded-For": forwarded]).status
            }
            var statuses: [HTTPResponse.Status] = []
            for index in 1...8 { statuses.append(try await signIn(from: "198.51.100.\(index), 192.0.2.1")) }
            #expect(statuses == Array(repeating: .badRequest, count: 5) + Array(repeating: .tooManyRequests, count: 3),
                    "forged first entries do not make new clients")
            #expect(try await signIn(from: "203.0.113.7") == .badRequest, "another client has its own count")

            for index in 1...5 { #expect(try await signIn(from: "2001:db8:1:2::\(index)") == .badRequest) }
            #expect(try await signIn(from: "2001:db8:1:2:ffff::9") == .tooManyRequests, "the same /64")
            #expect(try await signIn(from: "2001:db8:1:3::1") == .badRequest, "another /64")

            let malformed = ["0192.0.2.77", "0192.0.2.78", "198.51.100.1x", String(repeating: "9", count: 60_000), "", "::ffff:zz"]
            let answers = try await malformed.asyncMap { try await signIn(from: $0) }
            #expect(answers.filter { $0 == .badRequest }.count == 5, "all counted as the one peer, limit 5: \(answers)")
            let longest = try await app.db.raw("SELECT max(length(key)) AS longest FROM rate_limits").first()
            let longestKey = try longest?.decode(column: "longest", as: Int.self)
            #expect(try #require(longestKey) < 64, "no key as long as a header")
        }
    }

    @Test func clientAddressesParseStrictly() {
        #expect(ClientAddress.normalized("203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.normalized("0192.0.2.77") == nil)
        #expect(ClientAddress.normalized("1.2.3") == nil)
        #expect(ClientAddress.normalized(" 1.2.3.4") == nil)
        #expect(ClientAddress.normalized("2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientAddress.normalized("::ffff:198.51.100.3") == "198.51.100.3")
        #expect(ClientAddress.bucket(peer: "10.0.0.1", header: "1.1.1.1, 2.2.2.2, 10.0.0.2", trustedHops: 2) == "2.2.2.2")
        #expect(ClientAddress.bucket(peer: "10.0.0.1", header: "2.2.2.2", trustedHops: 2) == "10.0.0.1", "fewer entries than proxies")
        #expect(ClientAddress.bucket(peer: nil, header: nil, trustedHops: 1) == "unknown")
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

private extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
