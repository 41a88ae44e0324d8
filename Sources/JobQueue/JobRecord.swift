import Foundation

public enum JobState: String, Codable, Sendable, CaseIterable {
    case available, running, completed, dead
}

/// One row of the `jobs` table. Times are milliseconds since the Unix epoch, written by the queue's clock.
public struct JobRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var queue: String
    public var kind: String
    public var payload: String
    public var state: JobState
    public var attempt: Int
    public var maxAttempts: Int
    public var runAt: Int64
    public var lockedBy: String?
    public var lockedUntil: Int64?
    public var lastError: String?
    public var uniqueKey: String?
    public var createdAt: Int64
    public var finishedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, queue, kind, payload, state, attempt
        case maxAttempts = "max_attempts", runAt = "run_at", lockedBy = "locked_by", lockedUntil = "locked_until"
        case lastError = "last_error", uniqueKey = "unique_key", createdAt = "created_at", finishedAt = "finished_at"
    }

    static let columns = "id, queue, kind, payload, state, attempt, max_attempts, run_at, locked_by, locked_until, last_error, unique_key, created_at, finished_at"
}

extension Date {
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
