import Foundation
import SQLKit

/// Addresses whose mail hard-bounced (a 5xx refusal of the recipient, or a report with a 5.x.x failure): not
/// mailed again until the bounce is `days` old or an operator lifts it. Other addresses are never affected.
package struct Suppressions: Sendable {
    package let table: String
    /// 0: nothing is suppressed.
    package let days: Int

    package struct Entry: Sendable, Decodable, Equatable {
        package var address: String
        /// Seconds since the Unix epoch.
        package var bounced_at: Int64
        package var status: String
        /// The user's words (`DeliveryWording`).
        package var detail: String
        package var job_id: Int64

        package var date: Date { Date(timeIntervalSince1970: Double(bounced_at)) }

        package init(address: String, bounced_at: Int64, status: String, detail: String, job_id: Int64) {
            self.address = address
            self.bounced_at = bounced_at
            self.status = status
            self.detail = detail
            self.job_id = job_id
        }
    }

    package func suppress(address: String, status: String, detail: String, jobID: Int64, at now: Date, on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO \(ident: table) (address, bounced_at, status, detail, job_id)
            VALUES (\(bind: address.lowercased()), \(bind: Int64(now.timeIntervalSince1970)), \(bind: status), \(bind: detail), \(bind: jobID))
            ON CONFLICT (address) DO UPDATE SET bounced_at = excluded.bounced_at, status = excluded.status,
                detail = excluded.detail, job_id = excluded.job_id
            """).run()
    }

    /// The bounce that keeps `address` from being mailed now, if any.
    package func active(address: String, at now: Date, on database: any SQLDatabase) async throws -> Entry? {
        guard days > 0 else { return nil }
        return try await database.raw("""
            SELECT address, bounced_at, status, detail, job_id FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) AND bounced_at > \(bind: since(now))
            """).first(decoding: Entry.self)
    }

    /// The addresses suppressed now, most recent bounce first.
    package func list(at now: Date, on database: any SQLDatabase) async throws -> [Entry] {
        guard days > 0 else { return [] }
        return try await database.raw("""
            SELECT address, bounced_at, status, detail, job_id FROM \(ident: table)
            WHERE bounced_at > \(bind: since(now)) ORDER BY bounced_at DESC, address
            """).all(decoding: Entry.self)
    }

    /// Lifts `address`'s suppression; false when there was none.
    package func remove(address: String, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("DELETE FROM \(ident: table) WHERE address = \(bind: address.lowercased()) RETURNING address").first() != nil
    }

    /// Lifts the suppressions the mails of jobs `jobIDs` caused; returns their addresses.
    package func remove(causedBy jobIDs: [Int64], on database: any SQLDatabase) async throws -> [String] {
        guard !jobIDs.isEmpty else { return [] }
        return try await database.raw("DELETE FROM \(ident: table) WHERE job_id IN (\(binds: jobIDs)) RETURNING address").all()
            .map { try $0.decode(column: "address", as: String.self) }.sorted()
    }

    private func since(_ now: Date) -> Int64 {
        Int64(now.timeIntervalSince1970) - Int64(days) * 86_400
    }

    package init(table: String, days: Int) {
        self.table = table
        self.days = days
    }
}
