import Logging
import NIOCore
import SQLKit

/// A PostgreSQL database behind a transaction pooler (`DATABASE_POOLER=pgbouncer`): the same database, but not one
/// `HotStatement` may prepare statements on — consecutive transactions may run on different server sessions, and
/// PgBouncer 1.18 keeps no prepared statements — so every statement goes as SQLKit sends it, unnamed.
package struct UnpreparedDatabase: SQLDatabase {
    package let base: any SQLDatabase

    package init(_ base: any SQLDatabase) {
        self.base = base
    }

    package var logger: Logger { base.logger }
    package var eventLoop: any EventLoop { base.eventLoop }
    package var version: (any SQLDatabaseReportedVersion)? { base.version }
    package var dialect: any SQLDialect { base.dialect }
    package var queryLogLevel: Logger.Level? { base.queryLogLevel }

    package func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    package func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await base.execute(sql: query, onRow)
    }

    package func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(UnpreparedDatabase($0)) }
    }
}
