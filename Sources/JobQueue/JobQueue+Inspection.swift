import SQLKit

/// What `meiduo jobs` shows and repairs.
extension JobQueue {
    public func countsByState() async throws -> [JobState: Int] {
        struct Row: Decodable { var state: JobState; var count: Int }
        let rows = try await database.raw("SELECT state, COUNT(*) AS count FROM \(ident: tables.jobs) GROUP BY state").all(decoding: Row.self)
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in rows { counts[row.state] = row.count }
        return counts
    }

    /// Seconds the oldest due job nobody has claimed has waited since it became due; 0 when none waits.
    public func oldestDueAge() async throws -> Double {
        struct Row: Decodable { var age: Int64? }
        let row = try await database.raw("""
            SELECT \(now) - MIN(run_at) AS age FROM \(ident: tables.jobs)
            WHERE state = 'available' AND queue = \(bind: configuration.queue) AND run_at <= \(now)
            """).first(decoding: Row.self)
        return Double(max(0, row?.age ?? 0)) / 1000
    }

    /// The jobs in `state` (all when nil), newest first: `limit` of them after the first `offset`.
    public func list(state: JobState?, limit: Int, offset: Int = 0) async throws -> [JobRecord] {
        let filter: SQLQueryString = state.map { "WHERE state = \(bind: $0.rawValue)" } ?? ""
        return try await database.raw("""
            SELECT \(unsafeRaw: JobRecord.columns) FROM \(ident: tables.jobs) \(filter) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all(decoding: JobRecord.self)
    }

    /// Makes dead jobs available again with a fresh set of attempts; `ids == nil` means every dead job.
    /// Returns the ids that were dead and are now available.
    public func retryDead(ids: [Int64]?) async throws -> [Int64] {
        let filter: SQLQueryString = ids.map { "AND id IN (\(binds: $0))" } ?? ""
        return try await database.raw("""
            UPDATE \(ident: tables.jobs) SET state = 'available', attempt = 0, run_at = \(now), finished_at = NULL
            WHERE state = 'dead' \(filter)
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
    }
}
