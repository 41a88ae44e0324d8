import Fluent
import SQLKit
import Verification

/// With `ACCOUNTS=django`, everything the service keeps in the shop's database, each table under the `meiduo_`
/// prefix: the job queue, the rate limit's and the recipient limit's counters, the verification codes, and when each
/// account's last verification mail was queued. Django's own tables are read and written, never created or altered.
struct CreateShopTables: AsyncMigration {
    static let tables = DjangoAccounts.tables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await Self.tables.queue.create(on: sql)
        try await RateLimitTable(name: Self.tables.rateLimits).create(on: sql)
        try await RecipientLimit.create(table: Self.tables.verificationRecipients, on: sql)
        try await VerificationCodes.create(table: Self.tables.verificationCodes, on: sql)
        try await AddressRevert.create(table: Self.tables.revertsUsed, on: sql)
        try await sql.create(table: Self.tables.accountState).ifNotExists()
            .column("user_id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("verification_queued_at", type: .timestamp)
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        for table in [Self.tables.accountState, Self.tables.revertsUsed, Self.tables.verificationCodes, Self.tables.verificationRecipients, Self.tables.rateLimits] {
            try await sql.drop(table: table).ifExists().run()
        }
        try await Self.tables.queue.drop(on: sql)
    }
}
