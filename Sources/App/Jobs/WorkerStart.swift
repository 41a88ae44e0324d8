import JobQueue
import Logging
import Verification

extension AppServices {
    /// Starts a worker over the queue (`concurrency` and `queue` override the settings) and, on PostgreSQL, the
    /// LISTEN connection that wakes it when other processes enqueue.
    func startWorker(logger: Logger, concurrency: Int? = nil, queue: String? = nil) -> RunningWorker {
        var configuration = settings.queue.worker
        configuration.concurrency = concurrency ?? configuration.concurrency
        let metrics = self.metrics
        configuration.describeError = DatabaseErrorText.describe
        configuration.onOutcome = { kind, outcome, seconds in metrics.job(kind: kind, outcome: outcome, seconds: seconds) }
        configuration.onClaimed = { kind in metrics.jobClaimed(kind: kind) }
        let jobQueue = queue.map { self.jobQueue.named($0) } ?? self.jobQueue
        let worker = Worker(queue: jobQueue, registry: jobRegistry, configuration: configuration, logger: logger)
        worker.start()
        var notifications: Task<Void, Never>?
        // LISTEN needs a session of its own on PostgreSQL itself: not through a transaction pooler.
        if case .postgres(let url) = settings.pooler.listenURL ?? settings.databaseURL {
            notifications = PostgresJobNotifications(url: url, wakeUp: jobQueue.wakeUp, logger: logger).start()
        }
        return RunningWorker(worker: worker, notifications: notifications)
    }
}

/// A started worker and its wake-up listener; stopping is graceful (see `Worker.shutdown`). `WorkerService` stops
/// it when its command's group shuts down.
struct RunningWorker: Sendable {
    let worker: Worker
    let notifications: Task<Void, Never>?

    func stop() async {
        notifications?.cancel()
        await worker.shutdown()
    }
}
