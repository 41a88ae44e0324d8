import Fluent
import SQLKit
import Verification

/// What happened to each mail (`DeliveryLog`), the addresses not mailed after a hard bounce (`Suppressions`), and
/// the bounce reports received (`BounceReports`); under the service's table names, bare or `meiduo_`.
struct CreateDeliveryTables: AsyncMigration {
    let tables: ServiceTables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await DeliveryLog.create(table: tables.deliveries, on: sql)
        try await Suppressions.create(table: tables.suppressions, on: sql)
        try await BounceReports.create(table: tables.bounceReports, on: sql)
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [tables.bounceReports, tables.suppressions, tables.deliveries] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
