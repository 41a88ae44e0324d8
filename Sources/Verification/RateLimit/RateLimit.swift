/// At most `requests` per client in each window of `seconds` (`AUTH_RATE_LIMIT=20/60`; `off` turns it off).
public struct RateLimit: Sendable, Equatable {
    public var requests: Int
    public var seconds: Int64

    public init(requests: Int, seconds: Int64) {
        self.requests = requests
        self.seconds = seconds
    }

    /// `N/SECONDS`, both positive; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0]), let seconds = Int64(parts[1]), requests > 0, seconds > 0 else {
            return nil
        }
        self.init(requests: requests, seconds: seconds)
    }
}
