import Dispatch
import NIOConcurrencyHelpers
import Verification

/// Lets a line through once per `interval` per distinct message, and says with the next one how many were left
/// out: a database that is down fails every request the same way, and a thousand identical lines a second bury
/// everything else. `SafeLogHandler` applies it to the lines that repeat per request (`repeatingMessages`).
final class RepeatedLineFilter: Sendable {
    /// The driver's per-request connection failures and the service's own per-request failure lines.
    static let repeatingMessages = ["Opening new connection for pool failed", "Connection request timed out",
                                    "database unavailable", "request failed"]
    static let shared = RepeatedLineFilter(interval: 10)

    let interval: Double
    private let seen = NIOLockedValueBox<[String: (admittedAt: Double, suppressed: Int)]>([:])

    init(interval: Double) {
        self.interval = interval
    }

    static func repeats(_ message: String) -> Bool {
        repeatingMessages.contains { message.hasPrefix($0) }
    }

    /// Nil when `message` was let through less than `interval` seconds before `now` (the line is dropped and
    /// counted); else how many identical lines were dropped since it was last let through.
    func admit(_ message: String, now: Double = Double(DispatchTime.now().uptimeNanoseconds) / 1e9) -> Int? {
        seen.withLockedValue { seen in
            if let entry = seen[message], now - entry.admittedAt < interval {
                seen[message] = (entry.admittedAt, entry.suppressed + 1)
                return nil
            }
            let dropped = seen[message]?.suppressed ?? 0
            if seen.count > 1_000 { seen = seen.filter { now - $0.value.admittedAt < interval } }
            seen[message] = (now, 0)
            return dropped
        }
    }
}
