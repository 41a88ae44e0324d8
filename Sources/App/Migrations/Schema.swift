import Fluent
import SQLKit
import Verification

/// The migrations of this build, in order, and whether a database has had them all; with a Django shop's
/// accounts, also whether the shop's table is there.
enum Schema {
    static func migrations(for accounts: AccountsSource) -> [any Migration] {
        switch accounts {
        case .own:
            [CreateUser(), CreateJobsAndQueuedAt(), OrderClaimIndex(), CreateRateLimits(), CreateJobLeaders(), CreateVerificationRecipients(),
             CreateVerificationCodes(), CreateRevertsUsed(), CreateDeliveryTables(tables: OwnAccounts.tables)]
        case .django:
            [CreateShopTables(), CreateDeliveryTables(tables: DjangoAccounts.tables)]
        }
    }

    /// The names of the migrations `database` has not had yet (Fluent records those it ran in `_fluent_migrations`).
    static func pending(on database: any SQLDatabase, accounts: AccountsSource) async throws -> [String] {
        let names = migrations(for: accounts).map(\.name)
        guard try await tableColumns("_fluent_migrations", on: database).contains("name") else { return names }
        let applied = Set(try await database.raw("SELECT name FROM _fluent_migrations").all().map {
            try $0.decode(column: "name", as: String.self)
        })
        return names.filter { !applied.contains($0) }
    }

    /// Refuses, in one line, a database that has not had every migration (naming `meiduo migrate`), or that lacks
    /// the shop's accounts table or a column of it that the service reads or writes.
    static func requireReady(_ database: any SQLDatabase, accounts: AccountsSource) async throws {
        if accounts == .django {
            let missing = try await missingShopColumns(on: database)
            guard missing.isEmpty else { throw ShopTableMissing(missing: missing) }
        }
        let pending = try await pending(on: database, accounts: accounts)
        guard pending.isEmpty else { throw SchemaNotMigrated(pending: pending) }
    }

    /// The columns of `tb_users` that `DjangoAccounts` needs and the database lacks (all of them when the table is missing).
    static func missingShopColumns(on database: any SQLDatabase) async throws -> [String] {
        let present = try await tableColumns(DjangoAccounts.name, on: database)
        return DjangoAccounts.columns.filter { !present.contains($0) }
    }

    /// The column names of `table` in the connection's schema; empty when there is no such table.
    static func tableColumns(_ table: String, on database: any SQLDatabase) async throws -> Set<String> {
        let query: SQLQueryString = database.dialect.name == "postgresql"
            ? "SELECT column_name AS name FROM information_schema.columns WHERE table_name = \(bind: table) AND table_schema = current_schema()"
            : "SELECT name FROM pragma_table_info(\(bind: table))"
        return Set(try await database.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }
}

struct SchemaNotMigrated: Error, CustomStringConvertible {
    var pending: [String]
    var description: String {
        "the database is not migrated (\(pending.count) pending: \(pending.joined(separator: ", "))); run `meiduo migrate` first"
    }
}

struct ShopTableMissing: Error, CustomStringConvertible {
    var missing: [String]
    var description: String {
        missing.count == DjangoAccounts.columns.count
            ? "ACCOUNTS=django needs the shop's table \(DjangoAccounts.name) in this database; it is missing (run the shop's `manage.py migrate`, and check DATABASE_URL)"
            : "ACCOUNTS=django needs these columns of \(DjangoAccounts.name), which the database lacks: \(missing.joined(separator: ", "))"
    }
}
