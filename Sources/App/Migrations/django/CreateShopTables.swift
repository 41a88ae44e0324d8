import FluentKit
import SQLKit
import Verification

/// With `ACCOUNTS=django`, everything the service keeps in the shop's database, each table under the `meiduo_`
/// prefix: the job queue, the rate limit's and the recipient limit's counters, the verification codes, and when each
/// account's last verification mail was queued. Django's own tables are read and written, never created or altered.
struct CreateShopTables: AsyncMigration {
    static let tables = DjangoAccounts.tables

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        // The own tables' frozen DDL, under the prefix.
        try await CreateJobsAndQueuedAt.createJobs(prefix: Self.tables.prefix, on: sql)
        try await CreateJobLeaders.createTable(Self.tables.queue.leaders, on: sql)
        try await CreateRateLimits.createTable(Self.tables.rateLimits, on: sql)
        try await CreateVerificationRecipients.createTable(Self.tables.verificationRecipients, on: sql)
        try await CreateVerificationCodes.createTable(Self.tables.verificationCodes, on: sql)
        try await CreateRevertsUsed.createTable(Self.tables.revertsUsed, on: sql)
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
        for table in [Self.tables.queue.leaders, Self.tables.queue.jobs] {
            try await sql.drop(table: table).ifExists().run()
        }
    }
}
