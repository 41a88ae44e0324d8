import Logging
import NIOConcurrencyHelpers

/// Logs an error line once per `interval` per distinct message, and with the next one how many were left out:
/// a database that is down fails every request the same way, and a thousand identical lines a second bury
/// everything else.
final class RepeatedErrorLog: Sendable {
    let interval: Double
    private let seen = NIOLockedValueBox<[String: (loggedAt: Double, suppressed: Int)]>([:])

    init(interval: Double = 10) {
        self.interval = interval
    }

    /// Logs `message` at `level` unless the same message was logged less than `interval` seconds before `now`.
    func log(_ message: String, level: Logger.Level, metadata: Logger.Metadata, to logger: Logger, now: Double) {
        let suppressed: Int? = seen.withLockedValue { seen in
            if let entry = seen[message], now - entry.loggedAt < interval {
                seen[message] = (entry.loggedAt, entry.suppressed + 1)
                return nil
            }
            if seen.count > 1_000 { seen = seen.filter { now - $0.value.loggedAt < interval } }
            let before = seen[message]?.suppressed ?? 0
            seen[message] = (now, 0)
            return before
        }
        guard let suppressed else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["repeated"] = "\(suppressed) more since the last line" }
        logger.log(level: level, "\(message)", metadata: metadata)
    }
}
