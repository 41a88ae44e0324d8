import Foundation
import SQLKit

/// Every report `meiduo bounces` accepted, raw, with what was read from it: for the operator, and so that a report
/// the parser could not read is never lost.
package struct BounceReports: Sendable {
    package let table: String

    /// `outcome`: what the report said (`failed 5.1.1`, `delayed 4.4.1`) or why it could not be read.
    package func store(recipient: String, jobID: Int64?, outcome: String, raw: [UInt8], at now: Date, on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO \(ident: table) (received_at, recipient, job_id, outcome, size, raw)
            VALUES (\(bind: Int64(now.timeIntervalSince1970)), \(bind: recipient), \(bind: jobID), \(bind: String(outcome.prefix(500))),
                    \(bind: raw.count), \(bind: Data(raw)))
            """).run()
    }

    package struct Summary: Sendable, Decodable {
        package var id: Int64
        package var received_at: Int64
        package var outcome: String
        package var size: Int

        package init(id: Int64, received_at: Int64, outcome: String, size: Int) {
            self.id = id
            self.received_at = received_at
            self.outcome = outcome
            self.size = size
        }
    }

    /// The reports about job `jobID`'s mail, oldest first.
    package func reports(jobID: Int64, on database: any SQLDatabase) async throws -> [Summary] {
        try await database.raw("""
            SELECT id, received_at, outcome, size FROM \(ident: table) WHERE job_id = \(bind: jobID) ORDER BY id
            """).all(decoding: Summary.self)
    }

    /// Report `id` as it was received (the first `limit` octets).
    package func raw(id: Int64, limit: Int, on database: any SQLDatabase) async throws -> [UInt8] {
        guard let row = try await database.raw("SELECT raw FROM \(ident: table) WHERE id = \(bind: id)").first() else { return [] }
        return Array(try row.decode(column: "raw", as: Data.self).prefix(limit))
    }

    package init(table: String) {
        self.table = table
    }
}
