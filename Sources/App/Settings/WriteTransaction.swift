import Fluent
import SQLKit

extension Database {
    /// A transaction that reads and then writes. On SQLite it begins IMMEDIATE, taking the write lock first: a
    /// deferred transaction whose snapshot another connection has since written over fails at once with
    /// SQLITE_BUSY_SNAPSHOT when it comes to write, and no busy timeout waits that out. Elsewhere it is Fluent's.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let database = self as? any SQLDatabase, database.dialect.name == "sqlite" else {
            return try await transaction(body)
        }
        return try await withConnection { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
