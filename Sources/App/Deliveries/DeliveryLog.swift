import Foundation
import SQLKit

/// Every step of every mail the service sends, per address (lowercased): what `GET /user/` shows of the latest,
/// what `meiduo mail status ADDRESS` lists, and what a bounce report is matched to (by its mail's job).
struct DeliveryLog: Sendable {
    let table: String
    let clock: @Sendable () -> Date
    let metrics: ServiceMetrics

    static func create(table: String, on database: any SQLDatabase) async throws {
        try await database.create(table: table).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("job_id", type: .bigint, .notNull)
            .column("address", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .column("detail", type: .text, .notNull)
            .column("operator_detail", type: .text, .notNull)
            .run()
        try await database.raw("CREATE INDEX IF NOT EXISTS \(ident: table + "_address") ON \(ident: table) (address, id)").run()
        try await database.raw("CREATE INDEX IF NOT EXISTS \(ident: table + "_job") ON \(ident: table) (job_id, id)").run()
    }

    /// One recorded step, as read back.
    struct Entry: Sendable, Decodable, Equatable {
        var job_id: Int64
        var address: String
        var kind: String
        var state: String
        /// Milliseconds since the Unix epoch.
        var at: Int64
        var detail: String
        var operator_detail: String

        var date: Date { Date(timeIntervalSince1970: Double(at) / 1000) }
    }

    func record(_ step: DeliveryStep, on database: any SQLDatabase) async throws {
        try await database.raw(insertion(step, jobID: "\(bind: step.jobID)", from: "")).run()
        counted(step.state)
    }

    /// The INSERT behind `record`, for a caller that writes it in a statement of its own: `jobID` is the column of
    /// `source` (a WITH query) that holds each job's id, or a bound value with an empty `source`.
    func insertion(_ step: DeliveryStep, jobID: SQLQueryString, from source: SQLQueryString) -> SQLQueryString {
        """
        INSERT INTO \(ident: table) (job_id, address, kind, state, at, detail, operator_detail)
        SELECT \(jobID), \(bind: step.address.lowercased()), \(bind: step.kind), \(bind: step.state.rawValue),
               \(bind: Int64((clock().timeIntervalSince1970 * 1000).rounded())), \(bind: step.detail), \(bind: String(step.operatorDetail.prefix(2000)))\(source)
        """
    }

    /// Counts a step recorded by a caller's own statement.
    func counted(_ state: DeliveryState) {
        metrics.delivery(state: state.rawValue)
    }

    func latest(address: String, on database: any SQLDatabase) async throws -> Entry? {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) ORDER BY id DESC LIMIT 1
            """).first(decoding: Entry.self)
    }

    /// Oldest first.
    func history(address: String, on database: any SQLDatabase) async throws -> [Entry] {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) ORDER BY id
            """).all(decoding: Entry.self)
    }

    /// The first step of job `jobID`'s mail: whom it went to and what it was.
    func mail(jobID: Int64, on database: any SQLDatabase) async throws -> Entry? {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE job_id = \(bind: jobID) ORDER BY id LIMIT 1
            """).first(decoding: Entry.self)
    }
}
