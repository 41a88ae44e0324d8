import AsyncKit
import NIOCore
import PostgresKit
import SQLiteKit

/// What a log line may say about a database error: PostgreSQL's SQLSTATE and message, or the kind of connection
/// failure. PostgresNIO's own description is a generic sentence, and its debug description carries the statement
/// with its bound values (password hashes, addresses, tokens), which must never reach a log.
package enum DatabaseErrorText {
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let state = error.serverInfo?[.sqlState] {
            return "PostgreSQL error \(state): \(error.serverInfo?[.message] ?? "no message")"
        }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        return "PostgreSQL \(error.code)\(underlying)"
    }

    /// SQLSTATEs of a database that is down, starting, overloaded or that timed a statement out: the request may
    /// succeed later. 08: connection exceptions; 53300: too many connections; 57014: statement timeout;
    /// 55P03: lock timeout; 57P01–57P03: shutdown, crash, not yet accepting connections.
    package static let unavailableStates: Set<String> = ["53300", "57014", "55P03", "57P01", "57P02", "57P03"]

    /// Whether the request failed because the database cannot answer now (503 and `Retry-After`), rather than
    /// because of something in the request or the service (500).
    package static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] { return state.hasPrefix("08") || unavailableStates.contains(state) }
            return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed].contains(error.code)
        case is ConnectionPoolTimeoutError, is ConnectionPoolError, is NIOConnectionError, is ChannelError:
            return true
        case let error as IOError:
            return [ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
        default:
            return false
        }
    }

    /// Whether a statement broke a constraint (a unique username taken by a concurrent registration, say):
    /// PostgreSQL's SQLSTATE class 23, or one of SQLite's constraint codes.
    package static func isConstraintFailure(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError: error.serverInfo?[.sqlState]?.hasPrefix("23") == true
        case let error as SQLiteError: sqliteConstraintReasons.contains(error.reason)
        default: false
        }
    }

    private static let sqliteConstraintReasons: [SQLiteError.Reason] = [
        .constraint, .constraintCheckFailed, .constraintUniqueFailed, .constraintTriggerFailed, .constraintNotNullFailed,
        .constraintCommitHookFailed, .constraintForeignKeyFailed, .constraintPrimaryKeyFailed, .constraintUserFunctionFailed,
        .constraintVirtualTableFailed, .constraintUniqueRowIDFailed, .constraintStrictDataTypeFailed, .constraintUpdateTriggerDeletedRow,
    ]
}
