import Foundation
import SQLKit

/// Every step of every mail the service sends, per address (lowercased): what `GET /user/` shows of the latest,
/// what `meiduo mail status ADDRESS` lists, and what a bounce report is matched to (by its mail's job).
package struct DeliveryLog: Sendable {
    package let table: String
    package let clock: @Sendable () -> Date
    package let metrics: ServiceMetrics

    /// One recorded step, as read back.
    package struct Entry: Sendable, Decodable, Equatable {
        package var job_id: Int64
        package var address: String
        package var kind: String
        package var state: String
        /// Milliseconds since the Unix epoch.
        package var at: Int64
        package var detail: String
        package var operator_detail: String

        package var date: Date { Date(timeIntervalSince1970: Double(at) / 1000) }

        package init(job_id: Int64, address: String, kind: String, state: String, at: Int64, detail: String, operator_detail: String) {
            self.job_id = job_id
            self.address = address
            self.kind = kind
            self.state = state
            self.at = at
            self.detail = detail
            self.operator_detail = operator_detail
        }
    }

    package func record(_ step: DeliveryStep, on database: any SQLDatabase) async throws {
        try await record([step], on: database)
    }

    /// Records many steps in one statement, in order.
    package func record(_ steps: [DeliveryStep], on database: any SQLDatabase) async throws {
        guard !steps.isEmpty else { return }
        let at = now()
        let rows = SQLList(steps.map { SQLGroupExpression([SQLBind($0.jobID)] + values($0, at: at)) })
        try await database.raw("INSERT INTO \(ident: table) \(unsafeRaw: Self.columns) VALUES \(rows)").run()
        for step in steps { counted(step.state) }
    }

    /// The INSERT behind `record`, for a caller that writes it in a statement of its own: `jobID` is the column of
    /// `source` (a WITH query) that holds each job's id.
    package func insertion(_ step: DeliveryStep, jobID: SQLQueryString, from source: SQLQueryString) -> SQLQueryString {
        "INSERT INTO \(ident: table) \(unsafeRaw: Self.columns) SELECT \(jobID), \(SQLList(values(step, at: now())))\(source)"
    }

    private static let columns = "(job_id, address, kind, state, at, detail, operator_detail)"

    /// A step's row after its job id, as stored: the address lowercased, the operator's detail at most 2,000 characters.
    private func values(_ step: DeliveryStep, at: Int64) -> [any SQLExpression] {
        [SQLBind(step.address.lowercased()), SQLBind(step.kind), SQLBind(step.state.rawValue), SQLBind(at), SQLBind(step.detail),
         SQLBind(String(step.operatorDetail.prefix(2000)))]
    }

    /// Milliseconds since the Unix epoch, on the log's clock.
    private func now() -> Int64 {
        Int64((clock().timeIntervalSince1970 * 1000).rounded())
    }

    /// Counts a step recorded by a caller's own statement.
    package func counted(_ state: DeliveryState) {
        metrics.delivery(state: state.rawValue)
    }

    package func latest(address: String, on database: any SQLDatabase) async throws -> Entry? {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) ORDER BY id DESC LIMIT 1
            """).first(decoding: Entry.self)
    }

    /// Oldest first.
    package func history(address: String, on database: any SQLDatabase) async throws -> [Entry] {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE address = \(bind: address.lowercased()) ORDER BY id
            """).all(decoding: Entry.self)
    }

    /// The first step of job `jobID`'s mail: whom it went to and what it was.
    package func mail(jobID: Int64, on database: any SQLDatabase) async throws -> Entry? {
        try await database.raw("""
            SELECT job_id, address, kind, state, at, detail, operator_detail FROM \(ident: table)
            WHERE job_id = \(bind: jobID) ORDER BY id LIMIT 1
            """).first(decoding: Entry.self)
    }

    package init(table: String, clock: @escaping @Sendable () -> Date, metrics: ServiceMetrics) {
        self.table = table
        self.clock = clock
        self.metrics = metrics
    }
}
