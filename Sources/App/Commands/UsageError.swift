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
    /// The job queue, once `app`'s database is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedJobQueue(_ app: Application) async throws -> JobQueue {
        _ = try await migratedDatabase(app)
        return jobQueue
    }

    /// `app`'s database, once it is known to hold every migration (else one line naming `meiduo migrate`).
    func migratedDatabase(_ app: Application) async throws -> any SQLDatabase {
        let database = app.db.sql
        try await Schema.requireReady(database, accounts: settings.accounts)
        return database
    }
}
