import FluentKit
import Verification

/// The migrations of this build, in order.
enum Schema {
    static func migrations(for accounts: AccountsSource) -> [any Migration] {
        switch accounts {
        case .own:
            [CreateUser(), CreateJobsAndQueuedAt(), OrderClaimIndex(), CreateRateLimits(), CreateJobLeaders(), CreateVerificationRecipients(),
             CreateVerificationCodes(), CreateRevertsUsed(), CreateDeliveryTables(tables: OwnAccounts.tables),
             CreateProviderEvents(tables: OwnAccounts.tables), AddAccountSafeguards(accounts: .own), AddConsole(accounts: .own),
             CreateConsoleSignOuts(tables: OwnAccounts.tables)]
        case .django:
            [CreateShopTables(), CreateDeliveryTables(tables: DjangoAccounts.tables), CreateProviderEvents(tables: DjangoAccounts.tables),
             AddAccountSafeguards(accounts: .django), AddConsole(accounts: .django),
             CreateConsoleSignOuts(tables: DjangoAccounts.tables)]
        }
    }

    /// Whether a database has had them all.
    static func state(accounts: AccountsSource) -> SchemaState {
        SchemaState(migrationNames: migrations(for: accounts).map(\.name), accounts: accounts)
    }
}
