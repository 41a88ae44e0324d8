import FluentKit
import SQLKit
import Verification

/// What happened to each mail (`DeliveryLog`), the addresses not mailed after a hard bounce (`Suppressions`), and
/// the bounce reports received (`BounceReports`); under the service's table names, bare or `meiduo_`. Frozen: the
/// tables as this migration made them.
struct CreateDeliveryTables: AsyncMigration {
    let tables: ServiceTables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.create(table: tables.deliveries).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("job_id", type: .bigint, .notNull)
            .column("address", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("detail", type: .text, .notNull)
            .column("operator_detail", type: .text, .notNull)
            .run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.deliveries + "_address") ON \(ident: tables.deliveries) (address, id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.deliveries + "_job") ON \(ident: tables.deliveries) (job_id, id)").run()
        try await sql.create(table: tables.suppressions).ifNotExists()
            .column("address", type: .text, .primaryKey(autoIncrement: false))
            .column("bounced_at", type: .bigint, .notNull)
            .column("status", type: .text, .notNull)
            .column("detail", type: .text, .notNull)
            .column("job_id", type: .bigint, .notNull)
            .run()
        try await sql.create(table: tables.bounceReports).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("received_at", type: .bigint, .notNull)
            .column("recipient", type: .text, .notNull)
            .column("job_id", type: .bigint)
            .column("outcome", type: .text, .notNull)
            .column("size", type: .int, .notNull)
            .column("raw", type: .blob, .notNull)
            .run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.bounceReports + "_job") ON \(ident: tables.bounceReports) (job_id)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [tables.bounceReports, tables.suppressions, tables.deliveries] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
