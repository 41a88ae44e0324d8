import Fluent
import SQLKit

/// The per-address counts of verification mails (`RecipientLimit`).
struct CreateVerificationRecipients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RecipientLimit.create(table: OwnAccounts.tables.verificationRecipients, on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: OwnAccounts.tables.verificationRecipients).ifExists().run()
    }
}
