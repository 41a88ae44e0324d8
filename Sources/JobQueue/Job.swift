import Logging

/// A kind of work the queue runs: a Codable payload, a stable kind name, and `perform`.
/// Delivery is at-least-once: `perform` may run again for the same job after a crash, so make it idempotent
/// or let the receiver drop duplicates (`JobContext.jobID` is stable across attempts).
public protocol Job: Sendable {
    associatedtype Payload: Codable & Sendable
    static var kind: String { get }
    func perform(_ payload: Payload, context: JobContext) async throws
}

public struct JobContext: Sendable {
    public var jobID: Int64
    /// 1 on the first run.
    public var attempt: Int
    public var maxAttempts: Int
    /// When the job was first enqueued, in milliseconds since the Unix epoch; with `jobID`, unique across databases.
    public var enqueuedAt: Int64
    public var logger: Logger
}

/// Errors that know whether trying again can help. Any other error counts as transient.
public protocol ClassifiedJobError: Error {
    var isPermanent: Bool { get }
}

/// A failure that no retry will mend (a bad payload, a refused recipient): the job goes `dead` at once.
public struct PermanentJobError: ClassifiedJobError, CustomStringConvertible {
    public var description: String
    public var isPermanent: Bool { true }

    public init(_ description: String) {
        self.description = description
    }
}

/// How one run of a job ended.
public enum JobOutcome: String, Sendable {
    case completed, retried, dead
}
