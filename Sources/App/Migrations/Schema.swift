import Fluent
import SQLKit

/// The migrations of this build, in order, and whether a database has had them all.
enum Schema {
    static var migrations: [any Migration] {
        [CreateUser(), CreateJobsAndQueuedAt(), OrderClaimIndex(), CreateRateLimits(), CreateJobLeaders(), CreateVerificationRecipients()]
    }

    /// The names of the migrations `database` has not had yet (Fluent records those it ran in `_fluent_migrations`).
    static func pending(on database: any SQLDatabase) async throws -> [String] {
        let exists: SQLQueryString = database.dialect.name == "postgresql"
            ? "SELECT count(*) AS found FROM pg_tables WHERE tablename = '_fluent_migrations' AND schemaname = current_schema()"
            : "SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'"
        let names = migrations.map(\.name)
        guard try await database.raw(exists).first()?.decode(column: "found", as: Int.self) == 1 else { return names }
        let applied = Set(try await database.raw("SELECT name FROM _fluent_migrations").all().map {
            try $0.decode(column: "name", as: String.self)
        })
        return names.filter { !applied.contains($0) }
    }

    /// Refuses, in one line naming `meiduo migrate`, a database that has not had every migration.
    static func requireMigrated(_ database: any SQLDatabase) async throws {
        let pending = try await pending(on: database)
        guard pending.isEmpty else { throw SchemaNotMigrated(pending: pending) }
    }
}

struct SchemaNotMigrated: Error, CustomStringConvertible {
    var pending: [String]
    var description: String {
        "the database is not migrated (\(pending.count) pending: \(pending.joined(separator: ", "))); run `meiduo migrate` first"
    }
}
