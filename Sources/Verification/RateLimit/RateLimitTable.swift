import SQLKit

/// Fixed-window request counters in the database, so every server behind a load balancer counts together.
/// One row per client and scope: the start of its current window and the requests seen in it.
package struct RateLimitTable: Sendable {
    package let name: String

    /// Counts one request for `key` in the window that holds `now` (seconds since 1970), in one statement;
    /// returns the requests counted in that window so far, this one included.
    package func hit(_ key: String, windowStart: Int64, on database: any SQLDatabase) async throws -> Int {
        let row = try await database.raw("""
            INSERT INTO \(ident: name) (key, window_start, hits) VALUES (\(bind: key), \(bind: windowStart), 1)
            ON CONFLICT (key) DO UPDATE SET
                hits = CASE WHEN \(ident: name).window_start = excluded.window_start THEN \(ident: name).hits + 1 ELSE 1 END,
                window_start = excluded.window_start
            RETURNING hits
            """).first()
        return try row!.decode(column: "hits", as: Int.self)
    }

    /// Forgets the keys of `scope` (`scope:…`) whose window ended before `before`; other scopes count in windows
    /// of their own length.
    package func prune(scope: String, before: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("""
            DELETE FROM \(ident: name) WHERE window_start < \(bind: before) AND key LIKE \(bind: scope + ":%")
            """).run()
    }

    /// Takes back one count of each of `keys` in the window that starts at `windowStart`.
    package func refund(_ keys: [String], windowStart: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("""
            UPDATE \(ident: name) SET hits = hits - 1 WHERE key IN (\(binds: keys)) AND window_start = \(bind: windowStart) AND hits > 0
            """).run()
    }

    package init(name: String) {
        self.name = name
    }
}
