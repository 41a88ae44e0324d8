import SQLKit

/// An SQLite database whose statements run on the event loop's own connection, but whose sessions — the write
/// transactions (`writeTransaction`) — all run on one connection, the one the services' own statements (the
/// worker's among them) use.
///
/// SQLite lets one connection write at a time, and the driver keeps a connection per event loop. A write
/// transaction that found another loop's connection writing waited in SQLite's busy handler, which polls with
/// sleeps of up to 100 ms and can lose the lock to the other connection's next writes again and again: under load
/// some address changes were answered after a second. On one connection they take turns in the pool's order of
/// arrival instead, while reads keep every loop's connection.
package struct SQLiteWriterSessions: ForwardingDatabase {
    package let base: any SQLDatabase
    package let writer: any SQLDatabase

    package init(base: any SQLDatabase, writer: any SQLDatabase) {
        self.base = base
        self.writer = writer
    }

    package func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await writer.withSession(closure)
    }
}
