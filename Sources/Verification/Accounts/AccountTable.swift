import Foundation
import SQLKit

/// Where the accounts live and how their columns are named: the service's own `users` table, or a Django shop's
/// `tb_users` (`ACCOUNTS=django`), whose columns are Django's `AbstractUser`'s plus `email_active`. The hot
/// statements are generic over it, so each kind is its own prepared statement on PostgreSQL.
package protocol AccountTable: Sendable {
    static var name: String { get }
    static var passwordColumn: String { get }
    /// Stamped on every write, where the table has one.
    static var updatedAtColumn: String? { get }
    /// The prefix of the tables this service creates next to the accounts.
    static var servicePrefix: String { get }
    /// Reads `username, email, email_active, verification_queued_at, last_verified_email, password_required_until`
    /// of account `$1`.
    static var currentAddressSQL: String { get }
    /// Reads `sessions_valid_after` of account `$1`.
    static var sessionsValidAfterSQL: String { get }
    /// Appended to a read of the account by id or username: only accounts that may sign in.
    static var usableCondition: String { get }

    /// Stores `email` unverified and stamps when its verification mail is queued — only while the account still
    /// holds `seen` and its last mail was queued no later than `cutoff`. False when nothing changed.
    static func replace(userID: Int64, seen: AccountAddress.Current, with email: String, at now: Date,
                        queuedNoLaterThan cutoff: Date, on database: any SQLDatabase) async throws -> Bool

    /// After an undo: ends every session issued before `now` and requires the password to change the address until
    /// `passwordRequiredUntil` (seconds since 1970).
    static func endSessions(userID: Int64, at now: Date, passwordRequiredUntil: Int64, on database: any SQLDatabase) async throws

    /// Creates an account; returns its id.
    static func insert(username: String, passwordHash: String, email: String, at now: Date,
                       on database: any SQLDatabase) async throws -> Int64
}

extension AccountsSource {
    /// The accounts table this source names.
    package var table: any AccountTable.Type {
        switch self {
        case .own: OwnAccounts.self
        case .django: DjangoAccounts.self
        }
    }
}

extension AccountTable {
    package static var tables: ServiceTables { ServiceTables(prefix: servicePrefix) }

    /// `, updated_at = now` for an UPDATE's SET list where the table has the column; nothing otherwise.
    package static func updateStamp(_ now: Date) -> SQLQueryString {
        updatedAtColumn.map { ", \(ident: $0) = \(bind: now)" } ?? ""
    }
}

/// The service's own table, with bcrypt hashes.
package enum OwnAccounts: AccountTable {
    package static let name = "users"
    package static let passwordColumn = "password_hash"
    package static let updatedAtColumn: String? = "updated_at"
    package static let servicePrefix = ""
    package static let currentAddressSQL = """
        SELECT username, email, email_active, verification_queued_at, last_verified_email, password_required_until FROM users WHERE id = $1
        """
    package static let sessionsValidAfterSQL = "SELECT sessions_valid_after FROM users WHERE id = $1"
    package static let usableCondition = ""

    package static func endSessions(userID: Int64, at now: Date, passwordRequiredUntil: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("""
            UPDATE users SET sessions_valid_after = \(bind: AccountAddress.milliseconds(now)), password_required_until = \(bind: passwordRequiredUntil)
            WHERE id = \(bind: userID)
            """).run()
    }

    package static func replace(userID: Int64, seen: AccountAddress.Current, with email: String, at now: Date,
                        queuedNoLaterThan cutoff: Date, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw(replacement(userID: userID, seen: seen, with: email, at: now, queuedNoLaterThan: cutoff)).first() != nil
    }

    /// The UPDATE behind `replace`, returning the account's `id`; PostgreSQL runs it inside one statement with
    /// the job inserts (and the recipient count: `condition`). A verified address moved away from becomes the last
    /// verified one.
    package static func replacement(userID: Int64, seen: AccountAddress.Current, with email: String, at now: Date,
                            queuedNoLaterThan cutoff: Date, onlyIf condition: SQLQueryString = "true") -> SQLQueryString {
        """
        UPDATE users SET email = \(bind: email), email_active = false, verification_queued_at = \(bind: now), updated_at = \(bind: now),
            last_verified_email = CASE WHEN email_active THEN email ELSE last_verified_email END
        WHERE id = \(bind: userID) AND email = \(bind: seen.email) AND email_active = \(bind: seen.emailActive)
          AND (verification_queued_at IS NULL OR verification_queued_at <= \(bind: cutoff)) AND \(condition)
        RETURNING id
        """
    }

    package static func insert(username: String, passwordHash: String, email: String, at now: Date,
                       on database: any SQLDatabase) async throws -> Int64 {
        try await database.raw("""
            INSERT INTO users (username, password_hash, email, email_active, created_at, updated_at)
            VALUES (\(bind: username), \(bind: passwordHash), \(bind: email), false, \(bind: now), \(bind: now))
            RETURNING id
            """).first()!.decode(column: "id", as: Int64.self)
    }
}

/// A Django shop's `tb_users`. Nothing is added to it: when each account's last verification mail was queued is
/// kept in the service's own `meiduo_account_state`. Accounts with `is_active` false cannot sign in or use a
/// session, as in Django.
package enum DjangoAccounts: AccountTable {
    package static let name = "tb_users"
    package static let passwordColumn = "password"
    package static let updatedAtColumn: String? = nil
    package static let servicePrefix = "meiduo_"
    package static var stateTable: String { tables.accountState }
    package static let currentAddressSQL = """
        SELECT u.username, u.email, u.email_active, s.verification_queued_at, s.last_verified_email, s.password_required_until
        FROM tb_users u LEFT JOIN meiduo_account_state s ON s.user_id = u.id WHERE u.id = $1 AND u.is_active
        """
    package static let sessionsValidAfterSQL = "SELECT sessions_valid_after FROM meiduo_account_state WHERE user_id = $1"

    package static func endSessions(userID: Int64, at now: Date, passwordRequiredUntil: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO \(ident: stateTable) (user_id, sessions_valid_after, password_required_until)
            VALUES (\(bind: userID), \(bind: AccountAddress.milliseconds(now)), \(bind: passwordRequiredUntil))
            ON CONFLICT (user_id) DO UPDATE SET sessions_valid_after = excluded.sessions_valid_after,
                password_required_until = excluded.password_required_until
            """).run()
    }
    package static let usableCondition = " AND is_active"
    /// The columns read or written, and checked at start.
    package static let columns = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
                          "email", "is_staff", "is_active", "date_joined", "email_active"]

    /// Runs inside a transaction that holds the account's row (`TransactionalAddressStore`), so the resend
    /// interval, checked when the account was read, still holds.
    package static func replace(userID: Int64, seen: AccountAddress.Current, with email: String, at now: Date,
                        queuedNoLaterThan cutoff: Date, on database: any SQLDatabase) async throws -> Bool {
        let changed = try await database.raw("""
            UPDATE tb_users SET email = \(bind: email), email_active = false
            WHERE id = \(bind: userID) AND email = \(bind: seen.email) AND email_active = \(bind: seen.emailActive)
            RETURNING id
            """).first()
        guard changed != nil else { return false }
        // A verified address moved away from becomes the last verified one.
        try await database.raw("""
            INSERT INTO \(ident: stateTable) (user_id, verification_queued_at, last_verified_email)
            VALUES (\(bind: userID), \(bind: now), \(bind: seen.emailActive ? seen.email : nil))
            ON CONFLICT (user_id) DO UPDATE SET verification_queued_at = excluded.verification_queued_at,
                last_verified_email = COALESCE(excluded.last_verified_email, \(ident: stateTable).last_verified_email)
            """).run()
        return true
    }

    /// As Django's `create_user`: not staff, not superuser, active, joined now.
    package static func insert(username: String, passwordHash: String, email: String, at now: Date,
                       on database: any SQLDatabase) async throws -> Int64 {
        try await database.raw("""
            INSERT INTO tb_users (password, last_login, is_superuser, username, first_name, last_name, email,
                                  is_staff, is_active, date_joined, email_active)
            VALUES (\(bind: passwordHash), NULL, false, \(bind: username), '', '', \(bind: email),
                    false, true, \(DjangoDateTime(now, dialect: database.dialect.name)), false)
            RETURNING id
            """).first()!.decode(column: "id", as: Int64.self)
    }
}

/// A `DateTimeField` value as Django writes it: a timestamp on PostgreSQL, and on SQLite the UTC text
/// `YYYY-MM-DD HH:MM:SS.ffffff` (a number there would not parse in Django).
package struct DjangoDateTime: SQLExpression {
    package let date: Date
    package let dialect: String

    package init(_ date: Date, dialect: String) {
        self.date = date
        self.dialect = dialect
    }

    package func serialize(to serializer: inout SQLSerializer) {
        if dialect == "postgresql" {
            serializer.write(bind: date)
        } else {
            let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
                .year().month().day().dateTimeSeparator(.space).time(includingFractionalSeconds: true)
            serializer.write(bind: date.formatted(style))
        }
    }
}
