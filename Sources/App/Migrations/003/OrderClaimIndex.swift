import FluentKit
import SQLKit
import Verification

/// Databases made by the first release get the claim index in the claim's order: available jobs of a queue by
/// (run_at, id), so the claim's LIMIT stops after the first rows; the first release's index lacked `id`.
struct OrderClaimIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await Self.createClaimIndex(prefix: OwnAccounts.servicePrefix, on: sql)
        try await sql.raw("DROP INDEX IF EXISTS \(ident: OwnAccounts.servicePrefix + "jobs_claim")").run()
    }

    /// Nothing to undo: the ordered index serves the first release's claim as well.
    func revert(on database: any Database) async throws {}

    static func createClaimIndex(prefix: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: prefix + "jobs_claim_order") ON \(ident: prefix + "jobs") (queue, state, run_at, id)").run()
    }
}
