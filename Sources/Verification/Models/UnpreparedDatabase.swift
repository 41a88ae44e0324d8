import SQLKit

/// A PostgreSQL database behind a transaction pooler (`DATABASE_POOLER=pgbouncer`): the same database, but not one
/// `HotStatement` may prepare statements on — consecutive transactions may run on different server sessions, and
/// PgBouncer 1.18 keeps no prepared statements — so every statement goes as SQLKit sends it, unnamed.
package struct UnpreparedDatabase: ForwardingDatabase {
    package let base: any SQLDatabase

    package init(_ base: any SQLDatabase) {
        self.base = base
    }

    package func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { try await closure(UnpreparedDatabase($0)) }
    }
}
