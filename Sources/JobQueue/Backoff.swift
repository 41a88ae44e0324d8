/// Exponential backoff with "equal jitter": the n-th retry waits between half and all of
/// `min(cap, base · 2^(n-1))`, so retries spread out instead of arriving together.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double

    public init(base: Double = 2, cap: Double = 3600) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling for the retry after failed attempt `attempt` (1-based), in seconds.
    public func ceiling(afterAttempt attempt: Int) -> Double {
        min(cap, base * Double(1 << min(max(attempt - 1, 0), 40)))
    }

    public func delay(afterAttempt attempt: Int, random: Double = .random(in: 0...1)) -> Double {
        let ceiling = ceiling(afterAttempt: attempt)
        return ceiling / 2 + ceiling / 2 * random
    }
}
