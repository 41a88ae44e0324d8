import FluentKit
import SQLKit
import Verification

/// What the operator's console needs: which of the service's own accounts are staff (a shop's `tb_users` has
/// Django's `is_staff` already), the audit of every console action, each verification link opened once, and an
/// index on when each delivery step happened for the overview's counts. Frozen: as this migration made them.
struct AddConsole: AsyncMigration {
    let accounts: AccountsSource

    private var tables: ServiceTables { accounts.table.tables }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        if accounts == .own {
            try await sql.raw("ALTER TABLE users ADD COLUMN is_staff BOOLEAN NOT NULL DEFAULT false").run()
        }
        try await sql.create(table: tables.consoleAudit).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("at", type: .bigint, .notNull)
            .column("actor_id", type: .bigint, .notNull)
            .column("actor", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("target", type: .text, .notNull)
            .run()
        try await sql.create(table: tables.linkOpens).ifNotExists()
            .column("link_digest", type: .text, .primaryKey(autoIncrement: false))
            .column("address", type: .text, .notNull)
            .column("opened_at", type: .bigint, .notNull)
            .run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.linkOpens + "_opened_at") ON \(ident: tables.linkOpens) (opened_at)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: tables.deliveries + "_at") ON \(ident: tables.deliveries) (at)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("DROP INDEX IF EXISTS \(ident: tables.deliveries + "_at")").run()
        for table in [tables.linkOpens, tables.consoleAudit] {
            try await sql.drop(table: table).ifExists().run()
        }
        if accounts == .own {
            try await sql.raw("ALTER TABLE users DROP COLUMN is_staff").run()
        }
    }
}
