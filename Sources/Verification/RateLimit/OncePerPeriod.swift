import NIOConcurrencyHelpers

/// Says yes once per `period` seconds in this process: for upkeep, such as clearing rows that limit nothing any
/// more, that need not run on every request.
package final class OncePerPeriod: Sendable {
    package let period: Int64
    private let last = NIOLockedValueBox<Int64?>(nil)

    package init(seconds period: Int64) {
        self.period = period
    }

    /// True the first time, then once `period` seconds after the last time it was true.
    package func isDue(at seconds: Int64) -> Bool {
        last.withLockedValue { last in
            if let previous = last, seconds - previous < period { return false }
            last = seconds
            return true
        }
    }
}
