import JobQueue
import SQLKit
import Vapor
import Verification

/// A command line the command cannot run: printed as one line, and the process exits with status 1.
struct UsageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension AppServices {
    /// The job queue, once `database` is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedJobQueue(on database: any SQLDatabase) async throws -> JobQueue {
        _ = try await migrated(database)
        return jobQueue
    }

    /// `database`, once it is known to hold every migration (else one line naming `meiduo migrate`).
    func migrated(_ database: any SQLDatabase) async throws -> any SQLDatabase {
        try await Schema.state(accounts: settings.accounts).requireReady(database)
        return database
    }
}
