import NIOConcurrencyHelpers

/// Says yes once per `period` seconds in this process: for upkeep, such as clearing rows that limit nothing any
/// more, that need not run on every request.
final class OncePerPeriod: Sendable {
    let period: Int64
    private let last = NIOLockedValueBox<Int64?>(nil)

    init(seconds period: Int64) {
        self.period = period
    }

    /// True the first time, then once `period` seconds after the last time it was true.
    func isDue(at seconds: Int64) -> Bool {
        last.withLockedValue { last in
            if let previous = last, seconds - previous < period { return false }
            last = seconds
            return true
        }
    }
}
