import FluentKit
import SQLKit
import Verification

/// What keeps an undo holding: per account, the last verified address (the one every move away from it notifies),
/// when its sessions were last ended (a token issued before is refused) and until when changing the address needs
/// the password; on the service's `users`, or, for a shop's accounts, on `meiduo_account_state`. And each account's
/// share of an address's daily verification mails. Frozen: the columns and table as this migration made them.
struct AddAccountSafeguards: AsyncMigration {
    let accounts: AccountsSource

    private var stateTable: String {
        switch accounts {
        case .own: OwnAccounts.name
        case .django: DjangoAccounts.tables.accountState
        }
    }

    private var tables: ServiceTables { accounts.table.tables }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        for column in ["last_verified_email TEXT", "sessions_valid_after BIGINT", "password_required_until BIGINT"] {
            try await sql.raw("ALTER TABLE \(ident: stateTable) ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await sql.create(table: tables.verificationRecipientShares).ifNotExists()
            .column("address", type: .text, .notNull)
            .column("user_id", type: .bigint, .notNull)
            .column("day_start", type: .bigint, .notNull)
            .column("day_count", type: .int, .notNull)
            .primaryKey("address", "user_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(table: tables.verificationRecipientShares).ifExists().run()
        for column in ["password_required_until", "sessions_valid_after", "last_verified_email"] {
            try await sql.raw("ALTER TABLE \(ident: stateTable) DROP COLUMN \(ident: column)").run()
        }
    }
}
