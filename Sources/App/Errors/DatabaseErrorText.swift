import PostgresKit

/// What a log line may say about a database error: PostgreSQL's SQLSTATE and message, or the kind of connection
/// failure. PostgresNIO's own description is a generic sentence, and its debug description carries the statement
/// with its bound values (password hashes, addresses, tokens), which must never reach a log.
enum DatabaseErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let state = error.serverInfo?[.sqlState] {
            return "PostgreSQL error \(state): \(error.serverInfo?[.message] ?? "no message")"
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return "PostgreSQL \(error.code)\(underlying)"
    }
}
