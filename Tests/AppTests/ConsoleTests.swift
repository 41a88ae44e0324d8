import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import NIOConcurrencyHelpers
import SQLKit
import Testing

@testable import API
@testable import App
@testable import Console
@testable import Verification

/// The operator's console below its pages: who is staff, its session cookies and CSRF tokens, the counts its overview
/// shows (on SQLite, and on PostgreSQL in the second pass), and the refusals of its router. `scripts/console-test`
/// drives the pages in Chromium.
struct ConsoleTests {
    @Test func theOverviewCountsAMailSentOpenedOnceAndConfirmedByTheButton() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            #expect(try await client.send(.put, "/email/", json: #"{"email":"counted@example.com"}"#, token: account.token).status == .ok)
            let sent = try await runWorker(app) { try mailFiles(app).count == 1 }
            #expect(sent)
            let token = try token(inLink: app.services.emailVerifier.link(userID: account.id, email: "counted@example.com"))
            for _ in 0..<3 {
                #expect(try await client.send(.get, "/emails/verification/status/?token=\(token)").status == .ok)
            }
            #expect(try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(token)"}"#).status == .ok)

            let activity = app.services.mailActivity
            let now = Date()
            let funnel = try await activity.funnel(since: now.addingTimeInterval(-86_400), on: app.db)
            #expect(funnel.sent == 1 && funnel.opened == 1, "one link, opened three times, counts once")
            #expect(funnel.byMethod == ["button": 1])
            let hours = MailOverview.hours(try await activity.stepsPerHour(since: now.addingTimeInterval(-86_400), on: app.db), now: now)
            #expect(hours.count == 24)
            #expect(hours.reduce(0) { $0 + ($1.counts[.sent] ?? 0) } == 1)
            #expect(hours.reduce(0) { $0 + ($1.counts[.verified] ?? 0) } == 1)
            let days = MailOverview.days(try await activity.mailsPerDay(since: now.addingTimeInterval(-7 * 86_400), on: app.db), now: now)
            #expect(MailOverview.totals(days).sent == 1 && MailOverview.totals(days).bounceRate == 0)
        }
    }

    @Test func onlyStaffWithTheirPasswordSignIn() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let username = uniqueUsername("staff")
            let account = try await client.register(username, password: "password123")
            let staff = app.services.staff
            #expect(try await staff.signIn(username: username, password: "password123", on: app.db, logger: app.logger) == .notStaff)
            #expect(try await staff.setStaff(true, username: username, on: app.db))
            let member = StaffMember(id: account.id, username: username)
            #expect(try await staff.signIn(username: username, password: "password123", on: app.db, logger: app.logger) == .staff(member))
            #expect(try await staff.signIn(username: username, password: "password124", on: app.db, logger: app.logger) == .badCredentials)
            #expect(try await staff.signIn(username: "nobody_here", password: "password123", on: app.db, logger: app.logger) == .badCredentials)
            #expect(try await staff.member(id: account.id, on: app.db) == member)
            #expect(try await staff.setStaff(false, username: username, on: app.db))
            #expect(try await staff.member(id: account.id, on: app.db) == nil, "an open session ends with the flag")
            #expect(try await !staff.setStaff(true, username: "nobody_here", on: app.db))
        }
    }

    @Test func aSessionCookieHoldsOnlyUnderItsOwnKeyForEightHours() {
        let now = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        let clock: @Sendable () -> Date = { now.withLockedValue { $0 } }
        var settings = Settings(databaseURL: .sqlite(path: ":memory:"))
        settings.secretKey = "console-key-one-0123456789-abcdefghijklmnopqrstuvwxyz"
        var other = settings
        other.secretKey = "console-key-two-0123456789-abcdefghijklmnopqrstuvwxyz"
        let sessions = ConsoleSessions(settings: settings, clock: clock)
        let cookie = sessions.cookie(for: StaffMember(id: 7, username: "staff"))
        let claims = try? #require(sessions.claims(in: cookie))
        #expect(claims?.userID == 7)
        #expect(ConsoleSessions(settings: other, clock: clock).claims(in: cookie) == nil, "another SECRET_KEY's cookie")
        #expect(sessions.claims(in: cookie + "x") == nil)
        let verifier = SigningKeys(settings: settings, purpose: "meiduo-revert-email", lifetime: 3600, clock: clock)
        #expect(sessions.claims(in: verifier.sign(ConsoleSessionClaims(userID: 7, nonce: "n"))) == nil, "another purpose's token")
        let csrf = sessions.csrfToken(nonce: claims?.nonce ?? "")
        #expect(sessions.isValid(csrfToken: csrf, nonce: claims?.nonce ?? ""))
        #expect(!sessions.isValid(csrfToken: nil, nonce: claims?.nonce ?? ""))
        #expect(!sessions.isValid(csrfToken: csrf, nonce: "another-session"))
        #expect(!ConsoleSessions(settings: other, clock: clock).isValid(csrfToken: csrf, nonce: claims?.nonce ?? ""))
        now.withLockedValue { $0 += Double(ConsoleSessions.lifetime) + 1 }
        #expect(sessions.claims(in: cookie) == nil, "expired after 8 hours")
    }

    @Test func theOverviewBucketsHoursAndDaysAndReadsTheWayEachAddressWasConfirmed() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15 08:00 UTC
        let hour = Int64(1_800_000_000 / 3600)
        let hours = MailOverview.hours([
            .init(period: hour, state: "sent", n: 3), .init(period: hour, state: "bounced", n: 1),
            .init(period: hour - 23, state: "sent", n: 2), .init(period: hour - 24, state: "sent", n: 9),
            .init(period: hour, state: "queued", n: 5),
        ], now: now)
        #expect(hours.count == 24 && hours.first?.counts == [.sent: 2] && hours.last?.counts == [.sent: 3, .bounced: 1])
        #expect(hours.map(\.total).reduce(0, +) == 6, "older than 24 hours, and states not charted, are left out")
        let day = Int64(1_800_000_000 / 86_400)
        let days = MailOverview.days([
            .init(period: day, state: "sending", n: 200), .init(period: day, state: "bounced", n: 12),
            .init(period: day, state: "complained", n: 1), .init(period: day - 6, state: "sending", n: 100),
        ], now: now)
        #expect(days.count == 7 && days[0].sent == 100 && days[0].bounceRate == 0 && days[1].bounceRate == nil)
        #expect(days[6].bounceRate == 0.06 && days[6].complaintRate == 0.005)
        let total = MailOverview.totals(days)
        #expect(total.sent == 300 && total.bounceRate == 0.04 && total.bounceRate! < MailOverview.bounceLine)
        let funnel = MailOverview.Funnel(sent: 10, opened: 8, confirmations: [("confirmed by button", 4), ("confirmed by code", 2), ("", 1)])
        #expect(funnel.byMethod == ["button": 4, "code": 2, "earlier": 1] && funnel.confirmed == 7)
    }

    @Test func theConsoleRefusesWithoutSessionOrToken() async throws {
        try await withMeiduo { app in
            let router = ConsoleServer.router(services: app.services, database: app.databases.perRequest(pooler: .none))
            try await Application(router: router).test(.live) { client in
                let page = try await client.execute(uri: "/console/", method: .get)
                #expect(page.status == .seeOther && page.headers[.location] == "/console/sign-in")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                let form = try await client.execute(uri: "/console/dead/retry", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "job=all"))
                #expect(form.status == .forbidden)
                let signIn = try await client.execute(uri: "/console/sign-in", method: .post,
                                                      headers: [.contentType: "application/x-www-form-urlencoded"],
                                                      body: ByteBuffer(string: "username=a&password=b"))
                #expect(signIn.status == .forbidden, "a sign-in without the form's token")
                let shown = try await client.execute(uri: "/console/sign-in", method: .get)
                #expect(shown.status == .ok && shown.headers[.setCookie]?.contains("SameSite=Strict") == true)
                #expect(String(buffer: shown.body).contains("name=\"csrf\""))
            }
        }
    }

    /// Long lists come a page at a time, newest first, each page linking to the next older one: 150 dead jobs are
    /// 100 and 50, 130 suppressions 100 and 30.
    @Test func deadJobsAndSuppressionsComeAPageAtATime() async throws {
        try await withMeiduo { app in
            let username = uniqueUsername("staff")
            let account = try await APIClient(app: app).register(username, password: "password123")
            #expect(try await app.services.staff.setStaff(true, username: username, on: app.db))
            for id in 1...150 {
                try await app.db.raw("""
                    INSERT INTO jobs (queue, kind, payload, state, attempt, max_attempts, run_at, last_error, created_at)
                    VALUES ('default', 'send_verify_email', '{}', 'dead', 10, 10, 0, \(bind: "refused \(id)"), 0)
                    """).run()
            }
            let now = Date()
            for index in 1...130 {
                try await app.services.suppressions.suppress(address: "gone\(index)@example.com", status: "5.1.1", detail: "refused", jobID: Int64(index),
                                                             at: now.addingTimeInterval(Double(index)), on: app.db)
            }
            let cookie = app.services.consoleSessions.cookie(for: StaffMember(id: account.id, username: username))
            let router = ConsoleServer.router(services: app.services, database: app.databases.perRequest(pooler: .none))
            try await Application(router: router).test(.live) { client in
                func page(_ uri: String) async throws -> String {
                    let answer = try await client.execute(uri: uri, method: .get, headers: [.cookie: "meiduo_console=\(cookie)", .acceptLanguage: "en"])
                    #expect(answer.status == .ok, "\(uri)")
                    return String(buffer: answer.body)
                }
                func count(_ marker: String, in html: String) -> Int { html.components(separatedBy: marker).count - 1 }
                let first = try await page("/console/dead")
                #expect(count("<tr data-job=", in: first) == 100 && first.contains("refused 150") && !first.contains("refused 50<"))
                #expect(first.contains("href=\"/console/dead?page=2\" rel=\"next\"") && !first.contains("rel=\"prev\""))
                let second = try await page("/console/dead?page=2")
                #expect(count("<tr data-job=", in: second) == 50 && second.contains("refused 50<") && second.contains("refused 1<"))
                #expect(second.contains("href=\"/console/dead?page=1\" rel=\"prev\"") && !second.contains("rel=\"next\""))
                #expect(count("<tr data-job=", in: try await page("/console/dead?page=x")) == 100, "a page that is not a number is the first")
                let newest = try await page("/console/suppressions")
                #expect(count("<tr data-address=", in: newest) == 100 && newest.contains("gone130@") && !newest.contains("gone30@"))
                let oldest = try await page("/console/suppressions?page=2")
                #expect(count("<tr data-address=", in: oldest) == 30 && oldest.contains("gone30@") && oldest.contains("Page 2"))
            }
        }
    }

    /// The look-up box takes a username too: it leads to the address the account has now.
    @Test func theLookUpFindsAnAddressByTheAccountsUsername() async throws {
        try await withMeiduo { app in
            let username = uniqueUsername("staff")
            let account = try await APIClient(app: app).register(username, password: "password123")
            #expect(try await app.services.staff.setStaff(true, username: username, on: app.db))
            let customer = uniqueUsername("buyer")
            let other = try await APIClient(app: app).register(customer, password: "password123")
            try await app.db.raw("UPDATE users SET email = 'Customer+Shop@example.com' WHERE id = \(bind: other.id)").run()
            let cookie = app.services.consoleSessions.cookie(for: StaffMember(id: account.id, username: username))
            let router = ConsoleServer.router(services: app.services, database: app.databases.perRequest(pooler: .none))
            try await Application(router: router).test(.live) { client in
                let headers: HTTPFields = [.cookie: "meiduo_console=\(cookie)"]
                let found = try await client.execute(uri: "/console/address?email=\(customer)", method: .get, headers: headers)
                #expect(found.status == .seeOther && found.headers[.location]?.removingPercentEncoding == "/console/address?email=Customer+Shop@example.com")
                let unknown = try await client.execute(uri: "/console/address?email=nobody-by-that-name", method: .get, headers: headers)
                #expect(unknown.status == .ok, "a name no account has is looked up as given")
                let address = try await client.execute(uri: "/console/address?email=customer%2Bshop%40example.com", method: .get, headers: headers)
                #expect(address.status == .ok && String(buffer: address.body).contains("customer+shop@example.com"))
            }
        }
    }

    /// Signing out ends the session on the server: a copy of the cookie taken before is sent to the sign-in page.
    @Test func aSignedOutSessionsCookieNoLongerWorksAnywhere() async throws {
        try await withMeiduo { app in
            let username = uniqueUsername("staff")
            let account = try await APIClient(app: app).register(username, password: "password123")
            #expect(try await app.services.staff.setStaff(true, username: username, on: app.db))
            let sessions = app.services.consoleSessions
            let cookie = sessions.cookie(for: StaffMember(id: account.id, username: username))
            let nonce = try #require(sessions.claims(in: cookie)?.nonce)
            let router = ConsoleServer.router(services: app.services, database: app.databases.perRequest(pooler: .none))
            try await Application(router: router).test(.live) { client in
                let withCookie: HTTPFields = [.cookie: "meiduo_console=\(cookie)"]
                #expect(try await client.execute(uri: "/console/", method: .get, headers: withCookie).status == .ok)
                var form = withCookie
                form[.contentType] = "application/x-www-form-urlencoded"
                let signedOut = try await client.execute(uri: "/console/sign-out", method: .post, headers: form,
                                                         body: ByteBuffer(string: "csrf=\(sessions.csrfToken(nonce: nonce))"))
                #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/console/sign-in")
                let copy = try await client.execute(uri: "/console/", method: .get, headers: withCookie)
                #expect(copy.status == .seeOther && copy.headers[.location] == "/console/sign-in", "the cookie still opened the console")
                let retry = try await client.execute(uri: "/console/dead/retry", method: .post, headers: form,
                                                     body: ByteBuffer(string: "csrf=\(sessions.csrfToken(nonce: nonce))&job=all"))
                #expect(retry.status == .forbidden, "the cookie still posted a form")
                let fresh = sessions.cookie(for: StaffMember(id: account.id, username: username))
                let page = try await client.execute(uri: "/console/", method: .get, headers: [.cookie: "meiduo_console=\(fresh)"])
                #expect(page.status == .ok, "a new sign-in is not affected")
            }
        }
    }

    @Test func aSignInGetsASecureCookieBehindHTTPSAndIsRateLimitedAsTheAPIs() async throws {
        try await withMeiduo({ $0.authRateLimit = RateLimit(requests: 2, seconds: 60) }) { app in
            let username = uniqueUsername("staff")
            _ = try await APIClient(app: app).register(username, password: "password123")
            #expect(try await app.services.staff.setStaff(true, username: username, on: app.db))
            let router = ConsoleServer.router(services: app.services, database: app.databases.perRequest(pooler: .none))
            try await Application(router: router).test(.live) { client in
                let form = try await client.execute(uri: "/console/sign-in", method: .get)
                let nonce = try #require(form.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last)
                let csrf = try #require(String(buffer: form.body).split(separator: "name=\"csrf\" value=\"").last?.prefix(64))
                func signIn(_ password: String) async throws -> TestResponse {
                    try await client.execute(uri: "/console/sign-in", method: .post,
                                             headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "meiduo_console_sign_in=\(nonce)",
                                                       HTTPField.Name("X-Forwarded-Proto")!: "https"],
                                             body: ByteBuffer(string: "csrf=\(csrf)&username=\(username)&password=\(password)"))
                }
                let signedIn = try await signIn("password123")
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/console/")
                let session = signedIn.headers[values: .setCookie].first { $0.hasPrefix("meiduo_console=") } ?? ""
                for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age=28800"] {
                    #expect(session.contains(attribute), "the session cookie is \(attribute)")
                }
                #expect(try await signIn("wrong-password").status == .unauthorized)
                let third = try await signIn("password123")
                #expect(third.status == .tooManyRequests && third.headers.first(name: "Retry-After") != nil, "a third sign-in in the minute")
            }
        }
    }
}
