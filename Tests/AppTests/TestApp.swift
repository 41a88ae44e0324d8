import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing
import TestSupport

@testable import API
@testable import App
@testable import Verification

/// A configured service under test: its services, its database, and a client speaking HTTP to the API on a
/// live Hummingbird server of its own.
struct TestApp: Sendable {
    let services: AppServices
    let databases: Databases
    let logger: Logger
    let client: any TestClientProtocol

    var eventLoopGroup: any EventLoopGroup { databases.eventLoopGroup }
    /// The database as SQL.
    var db: any SQLDatabase { databases.sql(logger: logger, on: eventLoopGroup.any()) }

    /// One pooled connection for the whole of `body`, as the driver hands it out (on PostgreSQL, a connection that
    /// prepares the hot statements).
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let database = try #require(databases.database(logger: logger, on: eventLoopGroup.any()))
        return try await database.withConnection { try await body($0.sql) }
    }
}

/// Runs a test against a fully configured app on a database of its own: a fresh SQLite file by default, or a
/// fresh database on the PostgreSQL server named by `TEST_DATABASE_URL`.
func withMeiduo(_ adjust: (inout Settings) -> Void = { _ in }, clock: @escaping @Sendable () -> Date = Date.init,
                _ test: @escaping @Sendable (TestApp) async throws -> Void) async throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("meiduo-test-\(UUID().uuidString)")
    let sqlitePath = scratch.appendingPathComponent("meiduo.sqlite").path
    var settings = Settings(databaseURL: .sqlite(path: sqlitePath), bcryptCost: 4)
    settings.mail.backend = .file(directory: scratch.appendingPathComponent("mail").path)
    settings.mail.templatesDirectory = RepositoryPaths.path("Resources/Views/")
    settings.queue.worker.pollIntervalSeconds = 0.05
    settings.publicDirectory = RepositoryPaths.path("Public/")
    let postgresURL = ScratchPostgres.serverURL == nil ? nil : try await ScratchPostgres.create()
    if let postgresURL { settings.databaseURL = .postgres(url: postgresURL) }
    adjust(&settings)
    defer { try? FileManager.default.removeItem(at: scratch) }
    do {
        let runtime = try await Runtime.make(settings: settings, environment: "testing", logger: Logger(label: "meiduo-test"), clock: clock)
        do {
            // The runtime migrates SQLite itself, as `serve` finds it; PostgreSQL is `meiduo migrate`'s.
            if case .postgres = settings.databaseURL {
                try await SchemaMigrations(databases: runtime.databases, accounts: settings.accounts, logger: runtime.logger).prepare()
            }
            let server = APIServer.make(services: runtime.services, databases: runtime.databases, hostname: "127.0.0.1", port: 0,
                                        eventLoopGroup: runtime.eventLoopGroup, logger: runtime.logger)
            try await server.test(.live) { client in
                try await test(TestApp(services: runtime.services, databases: runtime.databases, logger: runtime.logger, client: client))
            }
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    } catch {
        if let postgresURL { await ScratchPostgres.drop(postgresURL) }
        throw error
    }
    if let postgresURL { await ScratchPostgres.drop(postgresURL) }
}

/// A unique, valid username (5–20 characters).
func uniqueUsername(_ prefix: String = "u") -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
}

/// Speaks to the app as a client would: JSON in, status and raw body out.
struct APIClient {
    let app: TestApp

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, token: String? = nil,
              scheme: String = "JWT", headers extra: [String: String] = [:]) async throws -> TestResponse {
        try await send(method, path, body: json.map { ByteBuffer(string: $0) }, token: token, scheme: scheme, headers: extra)
    }

    /// The same with a body of any bytes (JSON when no `Content-Type` is given).
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, token: String? = nil,
              scheme: String = "JWT", headers extra: [String: String] = [:]) async throws -> TestResponse {
        var headers = HTTPFields()
        for (name, value) in extra { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        if body != nil && headers[.contentType] == nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "\(scheme) \(token)" }
        return try await app.client.execute(uri: path, method: method, headers: headers, body: body)
    }

    struct Account {
        var id: Int64
        var username: String
        var token: String
    }

    func register(_ username: String = uniqueUsername(), password: String = "password123") async throws -> Account {
        let response = try await send(.post, "/users/", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        try #require(response.status == .created, "registration failed: \(response.body.string)")
        let body = try JSONDecoder().decode(Registered.self, from: Data(response.body.string.utf8))
        return Account(id: body.id, username: username, token: body.token)
    }

    func profile(_ account: Account) async throws -> Profile {
        let response = try await send(.get, "/user/", token: account.token)
        try #require(response.status == .ok)
        return try JSONDecoder().decode(Profile.self, from: Data(response.body.string.utf8))
    }

    private struct Registered: Decodable {
        var id: Int64
        var token: String
    }

    struct Profile: Decodable, Equatable {
        var id: Int64
        var username: String
        var email: String
        var email_active: Bool
    }
}

/// The token inside a verification link (or, with `parameter: "revert"`, a revert link).
func token(inLink link: String, parameter: String = "token") throws -> String {
    let components = try #require(URLComponents(string: link))
    return try #require(components.queryItems?.first { $0.name == parameter }?.value)
}

/// The `.eml` files the file transport has written, oldest first.
func mailFiles(_ app: TestApp) throws -> [String] {
    guard case .file(let directory) = app.services.settings.mail.backend else { return [] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".eml") }.map { directory + "/" + $0 }.sorted {
        let dates = [$0, $1].map { (try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast }
        return dates[0] < dates[1]
    }
}

/// Runs the app's worker until `condition` holds (at most `seconds`), then stops it gracefully.
func runWorker(_ app: TestApp, seconds: Double = 10, until condition: () async throws -> Bool) async throws -> Bool {
    let worker = app.services.startWorker(logger: app.logger)
    let deadline = Date().addingTimeInterval(seconds)
    var met = false
    while Date() < deadline {
        if try await condition() { met = true; break }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    await worker.stop()
    return met
}

extension ByteBuffer {
    /// The bytes as UTF-8 text.
    var string: String { String(buffer: self) }
}

extension HTTPFields {
    /// The first value of the header named `name`, as a test reads it.
    func first(name: String) -> String? {
        HTTPField.Name(name).flatMap { self[$0] }
    }
}
