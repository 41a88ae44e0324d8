import Fluent
import SQLKit
import Verification

/// The per-address counts of verification mails (`RecipientLimit`).
struct CreateVerificationRecipients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await RecipientLimit.create(table: OwnAccounts.tables.verificationRecipients, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.verificationRecipients).ifExists().run()
    }
}
