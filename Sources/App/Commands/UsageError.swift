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

extension AppServices {
    /// The job queue, once `app`'s database is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedJobQueue(_ app: Application) async throws -> JobQueue {
        try await Schema.requireReady(app.db as! any SQLDatabase, accounts: settings.accounts)
        return jobQueue
    }
}
