import FluentKit
import Logging
import Verification

/// Runs this build's migrations with FluentKit's migrator, which records each it ran in `_fluent_migrations` and
/// never runs one twice.
struct SchemaMigrations {
    let migrator: Migrator

    init(databases: Databases, accounts: AccountsSource, logger: Logger) {
        let migrations = Migrations()
        migrations.add(Schema.migrations(for: accounts))
        migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
    }

    /// The names of the migrations the database has not had, in order.
    func pending() async throws -> [String] {
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map(\.0.name)
    }

    /// Runs the migrations the database has not had, as one batch.
    func prepare() async throws {
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// The migrations of the last batch, newest first, and reverting them.
    func lastBatch() async throws -> [String] {
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewRevertLastBatch().get().map(\.0.name)
    }

    func revertLastBatch() async throws {
        try await migrator.revertLastBatch().get()
    }
}
