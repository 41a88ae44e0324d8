import FluentKit
import Verification

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OwnAccounts.name)
            .field(.id, .int64, .identifier(auto: true))
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("email", .string, .required)
            .field("email_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OwnAccounts.name).delete()
    }
}
