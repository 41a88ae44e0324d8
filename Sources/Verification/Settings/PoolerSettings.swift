/// A connection pooler in front of PostgreSQL: `DATABASE_POOLER`, `DATABASE_LISTEN_URL`.
public struct PoolerSettings: Sendable {
    public enum Pooler: String, Sendable {
        /// Connections straight to PostgreSQL: the hot statements are prepared once per connection.
        case none
        /// PgBouncer in transaction pooling: a connection may be another server session at each transaction, so
        /// every statement is unnamed (PgBouncer 1.18 keeps no prepared statements), and no session parameter is
        /// sent at start (PgBouncer refuses unknown ones): set `statement_timeout` and `lock_timeout` for the role.
        case pgbouncer
    }

    public var pooler = Pooler.none
    /// Where the queue's LISTEN connection goes: PostgreSQL itself, as LISTEN does not work through a transaction
    /// pooler. nil: `DATABASE_URL`.
    public var listenURL: DatabaseURL?

    public init() {}

    package static func load(from reader: VariableReader) throws(SettingsError) -> PoolerSettings {
        var settings = PoolerSettings()
        settings.pooler = try reader.value("DATABASE_POOLER", default: settings.pooler, parse: Pooler.init(rawValue:))
        if let url = reader.string("DATABASE_LISTEN_URL") {
            guard case .postgres? = DatabaseURL(parsing: url) else {
                throw SettingsError(variable: "DATABASE_LISTEN_URL", problem: "must be a postgres:// URL (PostgreSQL itself, not the pooler)")
            }
            settings.listenURL = DatabaseURL(parsing: url)
        }
        return settings
    }
}
