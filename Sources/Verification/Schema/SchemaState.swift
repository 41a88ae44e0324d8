import SQLKit

/// Whether a database has had every migration of this build (their names given, in order) and, with a Django
/// shop's accounts, whether the shop's table is there with the columns the service uses.
package struct SchemaState: Sendable {
    package let migrationNames: [String]
    package let accounts: AccountsSource

    package init(migrationNames: [String], accounts: AccountsSource) {
        self.migrationNames = migrationNames
        self.accounts = accounts
    }

    /// The names of the migrations `database` has not had yet (Fluent records those it ran in `_fluent_migrations`).
    package func pending(on database: any SQLDatabase) async throws -> [String] {
        guard try await Self.tableColumns("_fluent_migrations", on: database).contains("name") else { return migrationNames }
        let applied = Set(try await database.raw("SELECT name FROM _fluent_migrations").all().map {
            try $0.decode(column: "name", as: String.self)
        })
        return migrationNames.filter { !applied.contains($0) }
    }

    /// Refuses, in one line, a database that has not had every migration (naming `meiduo migrate`), or that lacks
    /// the shop's accounts table or a column of it that the service reads or writes.
    package func requireReady(_ database: any SQLDatabase) async throws {
        if accounts == .django {
            let missing = try await Self.missingShopColumns(on: database)
            guard missing.isEmpty else { throw ShopTableMissing(missing: missing) }
        }
        let pending = try await pending(on: database)
        guard pending.isEmpty else { throw SchemaNotMigrated(pending: pending) }
    }

    /// The columns of `tb_users` that `DjangoAccounts` needs and the database lacks (all of them when the table is missing).
    package static func missingShopColumns(on database: any SQLDatabase) async throws -> [String] {
        let present = try await tableColumns(DjangoAccounts.name, on: database)
        return DjangoAccounts.columns.filter { !present.contains($0) }
    }

    /// The column names of `table` in the connection's schema; empty when there is no such table.
    package static func tableColumns(_ table: String, on database: any SQLDatabase) async throws -> Set<String> {
        let query: SQLQueryString = database.dialect.name == "postgresql"
            ? "SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()"
            : "SELECT name FROM pragma_table_info(\(bind: table))"
        return Set(try await database.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }
}

package struct SchemaNotMigrated: Error, CustomStringConvertible {
    package var pending: [String]

    package init(pending: [String]) {
        self.pending = pending
    }

    package var description: String {
        "the database is not migrated (\(pending.count) pending: \(pending.joined(separator: ", "))); run `meiduo migrate` first"
    }
}

package struct ShopTableMissing: Error, CustomStringConvertible {
    package var missing: [String]

    package init(missing: [String]) {
        self.missing = missing
    }

    package var description: String {
        missing.count == DjangoAccounts.columns.count
            ? "ACCOUNTS=django needs the shop's table \(DjangoAccounts.name) in this database; it is missing (run the shop's `manage.py migrate`, and check DATABASE_URL)"
            : "ACCOUNTS=django needs these columns of \(DjangoAccounts.name), which the database lacks: \(missing.joined(separator: ", "))"
    }
}
