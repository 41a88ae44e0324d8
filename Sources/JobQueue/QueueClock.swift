import Foundation
import SQLKit

/// Where the queue's times come from. Leases and run times are compared across hosts, so in service they are the
/// database's own clock, read inside each statement: a host whose clock is off neither rescues live jobs nor runs
/// scheduled ones early. Tests may put a clock of their own in its place.
public enum QueueClock: Sendable {
    /// The database server's clock (`now()` on PostgreSQL; on SQLite the clock of the process running the statement).
    case database
    /// Times given by the caller, bound into each statement.
    case fixed(@Sendable () -> Date)

    /// The current time in milliseconds since the Unix epoch, as an SQL expression of `dialect`.
    func milliseconds(in dialect: any SQLDialect) -> SQLQueryString {
        switch self {
        case .fixed(let now):
            return "\(bind: now().millisecondsSince1970)"
        case .database where dialect.name == "postgresql":
            return "CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT)"
        case .database:
            return "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
        }
    }
}
