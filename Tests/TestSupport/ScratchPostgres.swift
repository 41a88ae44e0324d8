import Foundation
import Logging
import PostgresKit

/// When `TEST_DATABASE_URL` names a PostgreSQL server (`scripts/test` starts one), each test gets a database of its
/// own there, created empty and dropped afterwards, so tests run in parallel without seeing each other's rows.
public enum ScratchPostgres {
    public static let serverURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap {
        $0.hasPrefix("postgres") ? $0 : nil
    }

    /// Why a PostgreSQL-only test is skipped; `scripts/test` lets exactly these skips pass in its SQLite pass.
    public static let unavailable = "needs a PostgreSQL server: TEST_DATABASE_URL"

    /// Creates an empty database and returns its URL.
    public static func create() async throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await administer("CREATE DATABASE \(name)")
        var components = URLComponents(string: try serverURLOrThrow())!
        components.path = "/" + name
        return components.string!
    }

    public static func drop(_ url: String) async {
        guard let name = URLComponents(string: url)?.path.dropFirst(), !name.isEmpty else { return }
        try? await administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// One connection to `url`, for tests that want their own.
    public static func connect(_ url: String) async throws -> PostgresConnection {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    }

    private static let logger = Logger(label: "test.postgres")

    private static func serverURLOrThrow() throws -> String {
        guard let serverURL else { throw MissingPart(description: "TEST_DATABASE_URL does not name a PostgreSQL server") }
        return serverURL
    }

    private static func administer(_ statement: String) async throws {
        let connection = try await connect(try serverURLOrThrow())
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
