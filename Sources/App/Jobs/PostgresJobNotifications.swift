import JobQueue
import Logging
import PostgresKit
import Verification

/// Wakes this process's workers the moment any process commits a job (PostgreSQL LISTEN on the queue's NOTIFY
/// channel). A dedicated connection, re-opened with backoff when the database goes away; the worker's poll
/// interval covers the gap.
struct PostgresJobNotifications: Sendable {
    let url: String
    let wakeUp: WakeUpSignal
    let logger: Logger

    /// Listens until the returned task is cancelled.
    func start() -> Task<Void, Never> {
        Task {
            var retryDelay = 0.5
            while !Task.isCancelled {
                do {
                    let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    retryDelay = 0.5
                    await listen(on: connection)
                    try? await connection.close()
                } catch {
                    if !Task.isCancelled {
                        logger.warning("cannot listen for job notifications; retrying",
                                       metadata: ["error": "\(DatabaseErrorText.describe(error))", "in_seconds": "\(retryDelay)"])
                    }
                }
                try? await Task.sleep(nanoseconds: UInt64(retryDelay * 1e9))
                retryDelay = min(retryDelay * 2, 10)
            }
        }
    }

    /// Returns when the connection fails or the task is cancelled.
    private func listen(on connection: PostgresConnection) async {
        do {
            try await connection.listen(on: JobQueue.notificationChannel) { notifications in
                logger.debug("listening for new jobs", metadata: ["channel": "\(JobQueue.notificationChannel)"])
                wakeUp.signal()  // anything committed while nobody listened
                for try await _ in notifications { wakeUp.signal() }
            }
        } catch {
            if !Task.isCancelled {
                logger.warning("job notifications interrupted; reconnecting", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
            }
        }
    }
}
