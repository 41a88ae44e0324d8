import Foundation
import SQLKit

/// At most `dailyFailures` wrong verification codes per account, and per client, in a day (fixed windows, counted
/// in the rate limit's table so every server counts together): one account cannot try codes across many addresses,
/// nor one client across many accounts. A try is counted before the comparison, so concurrent guesses cannot pass
/// the count, and given back when the code was right.
package struct CodeGuessLimit: Sendable {
    package static let scope = "code-failures"
    package static let window: Int64 = 86_400

    package let table: RateLimitTable
    /// 0: no limit.
    package let dailyFailures: Int
    private let pruning = OncePerPeriod(seconds: window)

    package init(table: String, dailyFailures: Int) {
        self.table = RateLimitTable(name: table)
        self.dailyFailures = dailyFailures
    }

    /// A counted try: `retryAfter` is set when the account or the client has no tries left today.
    package struct Try: Sendable {
        package var keys: [String]
        package var windowStart: Int64
        package var retryAfter: Int?
    }

    package func reserve(userID: Int64, client: String, at now: Date, on database: any SQLDatabase) async throws -> Try {
        let seconds = Int64(now.timeIntervalSince1970)
        let windowStart = seconds - seconds % Self.window
        let keys = ["\(Self.scope):user:\(userID)", "\(Self.scope):client:\(client)"]
        guard dailyFailures > 0 else { return Try(keys: [], windowStart: windowStart) }
        if pruning.isDue(at: windowStart) { try await table.prune(scope: Self.scope, before: windowStart, on: database) }
        var exceeded = false
        for key in keys where try await table.hit(key, windowStart: windowStart, on: database) > dailyFailures { exceeded = true }
        return Try(keys: keys, windowStart: windowStart, retryAfter: exceeded ? Int(windowStart + Self.window - seconds) : nil)
    }

    /// Gives a try back: the code was right, or the try was refused before any comparison.
    package func refund(_ counted: Try, on database: any SQLDatabase) async throws {
        guard !counted.keys.isEmpty else { return }
        try await table.refund(counted.keys, windowStart: counted.windowStart, on: database)
    }
}
