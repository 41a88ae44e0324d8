import AsyncKit
import Logging
import NIOCore
import SQLiteKit
import SQLKit

/// One SQLite connection lent to one statement at a time, as the service's connection pool lends its connections.
///
/// sqlite-nio runs each statement on a thread of its pool, so tasks sharing a bare `SQLiteConnection` run
/// statements on one handle at the same time, and SQLite leaves undefined what a read sees of a table its own
/// connection is changing meanwhile: a worker's claims beside a test's `GROUP BY state` read rows whose state was
/// NULL. Statements that must share a connection (`BEGIN` … `COMMIT` sent one by one) still do: there is one.
struct LentSQLiteConnection: SQLDatabase, @unchecked Sendable {
    // @unchecked: the pool is a class of async-kit's that is not marked Sendable; it guards its state with a lock
    // and hops to its event loop itself.
    private let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
    let logger = Logger(label: "test.sqlite")
    let dialect: any SQLDialect = SQLiteDialect()

    init(path: String, on eventLoop: any EventLoop) {
        pool = EventLoopGroupConnectionPool(
            source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: false)),
            maxConnectionsPerEventLoop: 1,
            // A statement may wait for the connection behind others, themselves waiting seconds for the driver's
            // threads while every suite runs: longer than the pool's default 10 s.
            requestTimeout: .seconds(120), pruneInterval: nil, logger: logger, on: eventLoop)
    }

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        pool.withConnection { $0.sql().execute(sql: query, onRow) }
    }

    func close() async {
        try? await pool.shutdownAsync()
    }
}
