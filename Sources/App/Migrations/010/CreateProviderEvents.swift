import FluentKit
import SQLKit
import Verification

/// The mail providers' webhook events (`ProviderEventLog`), the Mailgun tokens taken, and a suppression's cause
/// (`bounce`, or `complaint`, which does not expire). Under the service's table names, bare or `meiduo_`. Frozen: the
/// tables as this migration made them.
struct CreateProviderEvents: AsyncMigration {
    let tables: ServiceTables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.create(table: tables.providerEvents).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("provider", type: .text, .notNull)
            .column("event_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("received_at", type: .bigint, .notNull)
            .column("recipient", type: .text, .notNull)
            .column("job_id", type: .bigint)
            .column("outcome", type: .text, .notNull)
            .column("raw", type: .text, .notNull)
            .run()
        try await sql.raw("""
            CREATE UNIQUE INDEX IF NOT EXISTS \(ident: tables.providerEvents + "_event") ON \(ident: tables.providerEvents) (provider, event_id)
            """).run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.providerEvents + "_job") ON \(ident: tables.providerEvents) (job_id)").run()
        try await sql.create(table: tables.webhookTokens).ifNotExists()
            .column("provider", type: .text, .notNull)
            .column("token", type: .text, .notNull)
            .column("seen_at", type: .bigint, .notNull)
            .primaryKey("provider", "token")
            .run()
        try await sql.raw("ALTER TABLE \(ident: tables.suppressions) ADD COLUMN cause TEXT NOT NULL DEFAULT 'bounce'").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("ALTER TABLE \(ident: tables.suppressions) DROP COLUMN cause").run()
        for table in [tables.webhookTokens, tables.providerEvents] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
