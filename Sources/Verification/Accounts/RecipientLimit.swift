import Foundation
import SQLKit

/// How often one address may be sent a verification mail, whichever accounts ask: one per `interval` and at most
/// `dailyLimit` in 24 hours, counted in the database so that every server counts together. It stops mail bombing
/// a stranger's address through many accounts; each account's own throttle is `AddressChangeDecision`'s. Built
/// once per process: rows that no longer limit anything are cleared about once an hour.
package final class RecipientLimit: Sendable {
    package let table: String
    package static let day: Int64 = 86_400

    /// Seconds between two mails to one address; 0: no interval.
    package let interval: Int64
    /// Mails to one address in 24 hours; 0: no daily cap.
    package let dailyLimit: Int
    private let pruning = OncePerPeriod(seconds: 3600)

    package init(table: String, interval: Int64, dailyLimit: Int) {
        self.table = table
        self.interval = interval
        self.dailyLimit = dailyLimit
    }

    /// Counts one mail to `address` at `now` if the limits allow it, in one statement; nil when allowed, else the
    /// seconds until they do.
    package func reserve(_ address: String, at now: Date, on database: any SQLDatabase) async throws -> Int? {
        let key = address.lowercased()
        let seconds = Int64(now.timeIntervalSince1970)
        if pruning.isDue(at: seconds) {
            try await database.raw("""
                DELETE FROM \(ident: table)
                WHERE day_start <= \(bind: seconds - Self.day) AND last_queued_at <= \(bind: seconds - interval)
                """).run()
        }
        let cap = dailyLimit > 0 ? dailyLimit : Int.max
        let allowed = try await database.raw("""
            INSERT INTO \(ident: table) (address, last_queued_at, day_start, day_count)
            VALUES (\(bind: key), \(bind: seconds), \(bind: seconds), 1)
            ON CONFLICT (address) DO UPDATE SET
                day_count = CASE WHEN \(ident: table).day_start <= \(bind: seconds - Self.day) THEN 1
                                 ELSE \(ident: table).day_count + 1 END,
                day_start = CASE WHEN \(ident: table).day_start <= \(bind: seconds - Self.day) THEN excluded.day_start
                                 ELSE \(ident: table).day_start END,
                last_queued_at = excluded.last_queued_at
            WHERE \(ident: table).last_queued_at <= \(bind: seconds - interval)
              AND (\(ident: table).day_start <= \(bind: seconds - Self.day) OR \(ident: table).day_count < \(bind: cap))
            RETURNING address
            """).first()
        guard allowed == nil else { return nil }
        struct Row: Decodable { var last_queued_at: Int64; var day_start: Int64 }
        guard let row = try await database.raw("""
            SELECT last_queued_at, day_start FROM \(ident: table) WHERE address = \(bind: key)
            """).first(decoding: Row.self) else { return 1 }
        let untilInterval = row.last_queued_at + interval - seconds
        let untilNewDay = row.day_start + Self.day - seconds
        return Int(max(1, untilInterval > 0 ? untilInterval : untilNewDay))
    }
}
