import Foundation
import NIOCore
import Testing
import TestSupport
import VaporTesting

@testable import App
@testable import Verification

/// Runs a test against a fully configured app on a database of its own: a fresh SQLite file by default, or a
/// fresh database on the PostgreSQL server named by `TEST_DATABASE_URL`.
func withMeiduo(_ adjust: (inout Settings) -> Void = { _ in }, clock: @escaping @Sendable () -> Date = Date.init,
                _ test: (Application) async throws -> Void) async throws {
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
        try await withApp(configure: { app in
            app.storage[ServicesKey.self] = try await configure(app, settings: settings, clock: clock)
            try await app.autoMigrate()
        }, test)
    } catch {
        if let postgresURL { await ScratchPostgres.drop(postgresURL) }
        throw error
    }
    if let postgresURL { await ScratchPostgres.drop(postgresURL) }
}

private struct ServicesKey: StorageKey {
    typealias Value = AppServices
}

extension Application {
    /// The services `configure` built for this test's app.
    var services: AppServices { storage[ServicesKey.self]! }
}

/// A unique, valid username (5–20 characters).
func uniqueUsername(_ prefix: String = "u") -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
}

/// Speaks to the app as a client would: JSON in, status and raw body out.
struct APIClient {
    let app: Application

    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil,
              scheme: String = "JWT", headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if json != nil && headers.contentType == nil { headers.contentType = .json }
        if let token { headers.replaceOrAdd(name: .authorization, value: "\(scheme) \(token)") }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    struct Account {
        var id: Int64
        var username: String
        var token: String
    }

    func register(_ username: String = uniqueUsername(), password: String = "password123") async throws -> Account {
        let response = try await send(.POST, "/users/", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        try #require(response.status == .created, "registration failed: \(response.body.string)")
        let body = try JSONDecoder().decode(Registered.self, from: Data(response.body.string.utf8))
        return Account(id: body.id, username: username, token: body.token)
    }

    func profile(_ account: Account) async throws -> Profile {
        let response = try await send(.GET, "/user/", token: account.token)
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
func mailFiles(_ app: Application) throws -> [String] {
    guard case .file(let directory) = app.services.settings.mail.backend else { return [] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".eml") }.map { directory + "/" + $0 }.sorted {
        let dates = [$0, $1].map { (try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast }
        return dates[0] < dates[1]
    }
}

/// Runs the app's worker until `condition` holds (at most `seconds`), then stops it gracefully.
func runWorker(_ app: Application, seconds: Double = 10, until condition: () async throws -> Bool) async throws -> Bool {
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
