import NIOCore

/// When a connection must have sent something, as a plain state machine: a request in full (head and body) within
/// `requestTimeout` of its first byte — or of the connection's start —, between requests its next byte within
/// `keepAliveTimeout`, and, while the client is not taking what was written (the connection's outbound buffer is
/// over its high mark, so the server has stopped writing and reading), it must start again within `sendTimeout`. A client
/// that trickles a request head line by line, holds an idle connection open, or pipelines requests and never reads
/// the answers is closed instead of holding a file descriptor (and the answers' memory) for as long as it likes.
public struct ConnectionDeadlines: Sendable {
    public enum Action: Equatable, Sendable {
        /// (Re)start the one timer.
        case arm(TimeAmount)
        case disarm
        case none
    }

    /// What the connection owes when the timer fires: a request (answer 408, then close) or nothing (just close).
    public enum State: Equatable, Sendable {
        case receiving, responding, idle
    }

    public let requestTimeout: TimeAmount
    public let keepAliveTimeout: TimeAmount
    /// nil: a response may take the client as long as it likes to read.
    public let sendTimeout: TimeAmount?
    public private(set) var state = State.receiving
    /// Bytes of the next request that arrived while a response was being made (pipelining).
    private var nextRequestStarted = false

    public init(requestTimeout: TimeAmount, keepAliveTimeout: TimeAmount, sendTimeout: TimeAmount? = nil) {
        self.requestTimeout = requestTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.sendTimeout = sendTimeout
    }

    public mutating func connected() -> Action {
        state = .receiving
        return .arm(requestTimeout)
    }

    public mutating func bytesArrived() -> Action {
        switch state {
        case .idle:
            state = .receiving
            return .arm(requestTimeout)
        case .responding:
            nextRequestStarted = true
            return .none
        case .receiving:
            return .none
        }
    }

    public mutating func requestComplete() -> Action {
        state = .responding
        nextRequestStarted = false
        return .disarm
    }

    /// The second timer, apart from the one above: armed while the connection cannot be written to, for as long
    /// as the client may take to read again.
    public func writabilityChanged(isWritable: Bool) -> Action {
        guard let sendTimeout else { return .none }
        return isWritable ? .disarm : .arm(sendTimeout)
    }

    public mutating func responseComplete() -> Action {
        guard state == .responding else { return .none }
        if nextRequestStarted {
            state = .receiving
            return .arm(requestTimeout)
        }
        state = .idle
        return .arm(keepAliveTimeout)
    }
}
