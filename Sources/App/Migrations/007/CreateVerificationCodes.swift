import Fluent
import SQLKit

/// Each account's latest verification code, hashed (`VerificationCodes`).
struct CreateVerificationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await VerificationCodes.create(table: OwnAccounts.tables.verificationCodes, on: database as! any SQLDatabase)
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(table: OwnAccounts.tables.verificationCodes).ifExists().run()
    }
}
