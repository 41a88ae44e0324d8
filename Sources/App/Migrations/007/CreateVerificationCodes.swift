import Fluent
import SQLKit
import Verification

/// Each account's latest verification code, hashed (`VerificationCodes`).
struct CreateVerificationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await VerificationCodes.create(table: OwnAccounts.tables.verificationCodes, on: database.sql)
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(table: OwnAccounts.tables.verificationCodes).ifExists().run()
    }
}
