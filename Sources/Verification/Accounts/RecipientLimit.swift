import Foundation
import SQLKit

/// How often one address may be sent a verification mail, whichever accounts ask: one per `interval` and at most
/// `dailyLimit` in 24 hours, counted in the database so that every server counts together. It stops mail bombing
/// a stranger's address through many accounts; each account's own throttle is `AddressChangeDecision`'s. And one
/// account gets at most `accountShare` of an address's daily mails, so that no single account spends the address's
/// allowance and keeps its owner from being mailed. Built once per process: rows that no longer limit anything are
/// cleared about once an hour.
package final class RecipientLimit: Sendable {
    package let table: String
    package let sharesTable: String
    package static let day: Int64 = 86_400

    /// Seconds between two mails to one address; 0: no interval.
    package let interval: Int64
    /// Mails to one address in 24 hours; 0: no daily cap.
    package let dailyLimit: Int
    /// Of those, the most one account may have sent; 0: no share.
    package let accountShare: Int
    private let pruning = OncePerPeriod(seconds: 3600)

    package init(table: String, sharesTable: String, interval: Int64, dailyLimit: Int, accountShare: Int) {
        self.table = table
        self.sharesTable = sharesTable
        self.interval = interval
        self.dailyLimit = dailyLimit
        self.accountShare = accountShare
    }

    /// Counts one mail to `address` for account `userID` at `now` if the limits allow it; nil when allowed, else
    /// the seconds until they do.
    package func reserve(_ address: String, for userID: Int64, at now: Date, on database: any SQLDatabase) async throws -> Int? {
        try await pruneIfDue(at: now, on: database)
        let counted = try await count(address, for: userID, at: now, on: database)
        return try await wait(after: counted, address, for: userID, at: now, on: database)
    }

    /// Clears, about once an hour, the rows that no longer limit anything.
    package func pruneIfDue(at now: Date, on database: any SQLDatabase) async throws {
        let seconds = Int64(now.timeIntervalSince1970)
        guard pruning.isDue(at: seconds) else { return }
        try await database.raw("""
            DELETE FROM \(ident: table)
            WHERE day_start <= \(bind: seconds - Self.day) AND last_queued_at <= \(bind: seconds - interval)
            """).run()
        try await database.raw("DELETE FROM \(ident: sharesTable) WHERE day_start <= \(bind: seconds - Self.day)").run()
    }

    /// Which limits allowed a count: the account's share, then (only if the share did) the address's.
    package struct Counted: Decodable, Sendable {
        package var share: Bool
        package var address: Bool
    }

    /// The count of one mail as PostgreSQL WITH queries, `recipient_share` and `recipient_counted` (a row each when
    /// allowed), so that a statement can count and write in one commit; `countedColumns` reads the result and
    /// `countedCondition` holds when both allowed it.
    package func countingQueries(_ address: String, for userID: Int64, at now: Date) -> SQLQueryString {
        let key = address.lowercased(), seconds = Int64(now.timeIntervalSince1970)
        let share: SQLQueryString = accountShare > 0 ? shareCount(key, for: userID, at: seconds) : "SELECT true"
        return """
            recipient_share AS (\(share)),
            recipient_counted AS (\(addressCount(key, at: seconds, onlyIf: "EXISTS (SELECT 1 FROM recipient_share)")))
            """
    }

    package static let countedColumns: SQLQueryString =
        "EXISTS (SELECT 1 FROM recipient_share) AS share, EXISTS (SELECT 1 FROM recipient_counted) AS address"
    package static let countedCondition: SQLQueryString = "EXISTS (SELECT 1 FROM recipient_counted)"

    /// After a count: nil when it was allowed, else the seconds until the limits allow a mail; when the address
    /// refused, the account's share counted for it is taken back.
    package func wait(after counted: Counted, _ address: String, for userID: Int64, at now: Date,
                      on database: any SQLDatabase) async throws -> Int? {
        let key = address.lowercased(), seconds = Int64(now.timeIntervalSince1970)
        if !counted.share { return try await shareWait(key, for: userID, at: seconds, on: database) }
        if counted.address { return nil }
        if accountShare > 0 { try await refundShare(key, for: userID, on: database) }
        return try await addressWait(key, at: seconds, on: database)
    }

    /// Counts the mail against the account's share and then, when the share allows it, against the address. On
    /// PostgreSQL both in one statement (one commit); elsewhere one after the other.
    private func count(_ address: String, for userID: Int64, at now: Date, on database: any SQLDatabase) async throws -> Counted {
        guard database.dialect.name == "postgresql" else {
            let key = address.lowercased(), seconds = Int64(now.timeIntervalSince1970)
            if accountShare > 0, try await database.raw(shareCount(key, for: userID, at: seconds)).first() == nil {
                return Counted(share: false, address: false)
            }
            return Counted(share: true, address: try await database.raw(addressCount(key, at: seconds)).first() != nil)
        }
        return try await database.raw("WITH \(countingQueries(address, for: userID, at: now)) SELECT \(Self.countedColumns)")
            .first(decoding: Counted.self) ?? Counted(share: true, address: true)
    }

    /// Counts one of the account's share of the address's day; returns a row when allowed.
    private func shareCount(_ key: String, for userID: Int64, at seconds: Int64) -> SQLQueryString {
        """
        INSERT INTO \(ident: sharesTable) (address, user_id, day_start, day_count) VALUES (\(bind: key), \(bind: userID), \(bind: seconds), 1)
        ON CONFLICT (address, user_id) DO UPDATE SET
            day_count = CASE WHEN \(ident: sharesTable).day_start <= \(bind: seconds - Self.day) THEN 1
                             ELSE \(ident: sharesTable).day_count + 1 END,
            day_start = CASE WHEN \(ident: sharesTable).day_start <= \(bind: seconds - Self.day) THEN excluded.day_start
                             ELSE \(ident: sharesTable).day_start END
        WHERE \(ident: sharesTable).day_start <= \(bind: seconds - Self.day) OR \(ident: sharesTable).day_count < \(bind: accountShare)
        RETURNING address
        """
    }

    /// The seconds until the account's share of the address's day is over.
    private func shareWait(_ key: String, for userID: Int64, at seconds: Int64, on database: any SQLDatabase) async throws -> Int {
        let dayStart = try await database.raw("""
            SELECT day_start FROM \(ident: sharesTable) WHERE address = \(bind: key) AND user_id = \(bind: userID)
            """).first()?.decode(column: "day_start", as: Int64.self)
        return Int(max(1, (dayStart ?? seconds) + Self.day - seconds))
    }

    /// Takes back the account's share counted for a mail the address's limits refused.
    private func refundShare(_ key: String, for userID: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("""
            UPDATE \(ident: sharesTable) SET day_count = day_count - 1
            WHERE address = \(bind: key) AND user_id = \(bind: userID) AND day_count > 0
            """).run()
    }

    /// Counts one mail to the address, whoever asked (only when `onlyIf` holds); returns a row when allowed.
    private func addressCount(_ key: String, at seconds: Int64, onlyIf condition: SQLQueryString = "true") -> SQLQueryString {
        let cap = dailyLimit > 0 ? dailyLimit : Int.max
        // `WHERE`: SQLite needs one to tell an INSERT … SELECT's upsert clause from a join.
        return """
            INSERT INTO \(ident: table) (address, last_queued_at, day_start, day_count)
            SELECT \(bind: key), \(bind: seconds), \(bind: seconds), 1 WHERE \(condition)
            ON CONFLICT (address) DO UPDATE SET
                day_count = CASE WHEN \(ident: table).day_start <= \(bind: seconds - Self.day) THEN 1
                                 ELSE \(ident: table).day_count + 1 END,
                day_start = CASE WHEN \(ident: table).day_start <= \(bind: seconds - Self.day) THEN excluded.day_start
                                 ELSE \(ident: table).day_start END,
                last_queued_at = excluded.last_queued_at
            WHERE \(ident: table).last_queued_at <= \(bind: seconds - interval)
              AND (\(ident: table).day_start <= \(bind: seconds - Self.day) OR \(ident: table).day_count < \(bind: cap))
            RETURNING address
            """
    }

    /// The seconds until the limits allow another mail to the address.
    private func addressWait(_ key: String, at seconds: Int64, on database: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var last_queued_at: Int64; var day_start: Int64 }
        guard let row = try await database.raw("""
            SELECT last_queued_at, day_start FROM \(ident: table) WHERE address = \(bind: key)
            """).first(decoding: Row.self) else { return 1 }
        let untilInterval = row.last_queued_at + interval - seconds
        let untilNewDay = row.day_start + Self.day - seconds
        return Int(max(1, untilInterval > 0 ? untilInterval : untilNewDay))
    }
}
