import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import SQLKit
import Verification

package enum DatabaseSetup {
    static let sqliteBusyTimeoutMilliseconds = 10_000

    /// Registers the database; with `open`, also makes the SQLite file's folder and tunes its connections (a
    /// command that does not use the database creates nothing).
    package static func configure(_ databases: Databases, logger: Logger, url: DatabaseURL, pooler: PoolerSettings.Pooler = .none,
                                  maxConnections: Int, statementTimeout: Int?, open: Bool) async throws {
        switch url {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if open && !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            // The statements' bound values (password hashes, addresses) are never logged: no SQL log at all.
            databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqlite)
            if open { try await tuneSQLite(databases, logger: logger) }
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            // A statement blocked by a lock, or running away, fails in bounded time and frees its connection. Not
            // through PgBouncer, which refuses startup parameters it does not know: set them for the role there.
            if let statementTimeout, pooler == .none {
                configuration.coreConfiguration.options.additionalStartupParameters += [
                    ("statement_timeout", "\(statementTimeout)s"), ("lock_timeout", "\(statementTimeout)s"),
                ]
            }
            // At trace, which the service never logs at (`LogLevelCeiling`); `SafeLogHandler` redacts binds besides.
            // A request waits for a free connection no longer than a statement may run: under a lock or an
            // overload it is answered 503 in bounded time rather than queued behind everything else.
            let poolTimeout: TimeAmount = statementTimeout.map { .seconds(Int64($0)) } ?? .seconds(10)
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: maxConnections,
                                    connectionPoolTimeout: poolTimeout, sqlLogLevel: .trace), as: .psql)
        }
    }

    /// WAL lets readers and the writer overlap, and NORMAL syncs the log at checkpoints rather than every commit
    /// (durable across process crashes, which is what the queue needs). A writer that finds the database locked by
    /// another connection or process waits up to `sqliteBusyTimeoutMilliseconds` rather than failing at once.
    /// `synchronous` and `busy_timeout` are per connection, and the SQLite driver keeps one connection per event
    /// loop, so each loop's connection is set once here.
    private static func tuneSQLite(_ databases: Databases, logger: Logger) async throws {
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            let database = databases.sql(logger: logger, on: eventLoop)
            try await database.raw("PRAGMA journal_mode=WAL").run()
            try await database.raw("PRAGMA synchronous=NORMAL").run()
            try await database.raw("PRAGMA busy_timeout=\(unsafeRaw: String(sqliteBusyTimeoutMilliseconds))").run()
        }
    }
}

extension Databases {
    /// The default database as SQL, on `eventLoop`.
    package func sql(logger: Logger, on eventLoop: any EventLoop) -> any SQLDatabase {
        database(logger: logger, on: eventLoop)!.sql
    }

    /// The same, for the service's statements: unnamed ones only behind a transaction pooler; on SQLite with
    /// every session on the services' event loop's connection (`SQLiteWriterSessions`).
    package func sql(logger: Logger, on eventLoop: any EventLoop, pooler: PoolerSettings.Pooler) -> any SQLDatabase {
        let database = sql(logger: logger, on: eventLoop)
        if database.dialect.name == "sqlite" {
            return SQLiteWriterSessions(base: database, writer: sql(logger: logger, on: servicesEventLoop))
        }
        return pooler == .pgbouncer ? UnpreparedDatabase(database) : database
    }

    /// The event loop whose connections the services' own statements use (the worker's, the commands'): the first.
    package var servicesEventLoop: any EventLoop {
        var loops = eventLoopGroup.makeIterator()
        return loops.next() ?? eventLoopGroup.any()
    }
}

extension FluentKit.Database {
    /// This database as SQL: the one typed way to it. Both drivers the service configures (`configure` above) are
    /// SQL databases, so anything else is a programming error.
    package var sql: any SQLDatabase {
        guard let database = self as? any SQLDatabase else {
            preconditionFailure("the configured database driver is not an SQL database")
        }
        return database
    }
}
