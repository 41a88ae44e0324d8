import Foundation
import SQLKit

/// Addresses whose mail hard-bounced (a 5xx refusal of the recipient, or a report with a 5.x.x failure): not
/// mailed again until the bounce is `days` old or an operator lifts it; and addresses whose recipient reported a
/// mail as spam: not mailed again until an operator lifts it. Other addresses are never affected.
package struct Suppressions: Sendable {
    package enum Cause: String, Sendable {
        case bounce, complaint
    }

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
        /// `Cause`: `bounce` or `complaint`.
        package var cause: String

        package var isComplaint: Bool { cause == Cause.complaint.rawValue }

        package var date: Date { Date(timeIntervalSince1970: Double(bounced_at)) }

        package init(address: String, bounced_at: Int64, status: String, detail: String, job_id: Int64, cause: String = Cause.bounce.rawValue) {
            self.address = address
            self.bounced_at = bounced_at
            self.status = status
            self.detail = detail
            self.job_id = job_id
            self.cause = cause
        }
    }

    /// A complaint stays a complaint: a later bounce of the same address updates the date, not the cause.
    package func suppress(address: String, status: String, detail: String, jobID: Int64, cause: Cause = .bounce, at now: Date,
                          on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO \(ident: table) (address, bounced_at, status, detail, job_id, cause)
            VALUES (\(bind: address.lowercased()), \(bind: Int64(now.timeIntervalSince1970)), \(bind: status), \(bind: detail), \(bind: jobID),
                    \(bind: cause.rawValue))
            ON CONFLICT (address) DO UPDATE SET bounced_at = excluded.bounced_at, status = excluded.status,
                detail = excluded.detail, job_id = excluded.job_id,
                cause = CASE WHEN \(ident: table).cause = 'complaint' THEN 'complaint' ELSE excluded.cause END
            """).run()
    }

    /// The bounce or complaint that keeps `address` from being mailed now, if any.
    package func active(address: String, at now: Date, on database: any SQLDatabase) async throws -> Entry? {
        try await database.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) AND \(current(at: now))
            """).first(decoding: Entry.self)
    }

    /// The suppressions of `addresses` now, in one statement: each address's, or nil, in the order given.
    package func active(addresses: [String], at now: Date, on database: any SQLDatabase) async throws -> [Entry?] {
        let wanted = addresses.map { $0.lowercased() }
        let found = try await database.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(ident: table)
            WHERE address IN (\(binds: Array(Set(wanted)))) AND \(current(at: now))
            """).all(decoding: Entry.self)
        let byAddress = Dictionary(found.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        return wanted.map { byAddress[$0] }
    }

    /// The addresses suppressed now, most recent first: all, or `limit` of them after the first `offset`.
    package func list(at now: Date, limit: Int? = nil, offset: Int = 0, on database: any SQLDatabase) async throws -> [Entry] {
        let page: SQLQueryString = limit.map { "LIMIT \(bind: $0) OFFSET \(bind: offset)" } ?? ""
        return try await database.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(ident: table)
            WHERE \(current(at: now)) ORDER BY bounced_at DESC, address \(page)
            """).all(decoding: Entry.self)
    }

    /// What an `Entry` is read from.
    private static let columns = "address, bounced_at, status, detail, job_id, cause"

    /// A complaint holds until lifted; a bounce for `days` (0: not at all).
    private func current(at now: Date) -> SQLQueryString {
        days > 0 ? "(cause = 'complaint' OR bounced_at > \(bind: since(now)))" : "cause = 'complaint'"
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
