import JobQueue
import SQLKit
import Vapor

/// A command line the command cannot run: printed as one line, and the process exits with status 1.
struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Application {
    /// The job queue, once the database is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedJobQueue() async throws -> JobQueue {
        try await Schema.requireMigrated(db as! any SQLDatabase)
        return jobQueue
    }
}
