import JobQueue
import SQLKit
import Verification

/// A command line the command cannot run: printed as one line, and the process exits with status 1.
struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension Runtime {
    /// The job queue, once the database is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedJobQueue() async throws -> JobQueue {
        _ = try await migratedDatabase()
        return services.jobQueue
    }

    /// The database, once it is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedDatabase() async throws -> any SQLDatabase {
        let database = database
        try await Schema.state(accounts: settings.accounts).requireReady(database)
        return database
    }
}
