import SQLKit

extension SQLDatabase {
    /// A transaction that reads and then writes, on one connection. On SQLite it begins IMMEDIATE, taking the
    /// write lock first: a deferred transaction whose snapshot another connection has since written over fails at
    /// once with SQLITE_BUSY_SNAPSHOT when it comes to write, and no busy timeout waits that out.
    package func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = dialect.name == "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withSession { session in
            try await session.raw(begin).run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
