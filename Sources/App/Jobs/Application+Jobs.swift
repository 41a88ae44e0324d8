import Fluent
import JobQueue
import Mail
import SMTPClient
import SQLKit
import Vapor

extension Application {
    private struct JobQueueKey: StorageKey {
        typealias Value = JobQueue
    }

    private struct JobRegistryKey: StorageKey {
        typealias Value = JobRegistry
    }

    private struct SMTPPoolKey: StorageKey {
        typealias Value = SMTPConnectionPool
    }

    /// The SMTP session pool when EMAIL_BACKEND is smtp (for metrics and shutdown).
    var smtpPool: SMTPConnectionPool? {
        get { storage[SMTPPoolKey.self] }
        set { storage[SMTPPoolKey.self] = newValue }
    }

    var jobQueue: JobQueue {
        get { storage[JobQueueKey.self]! }
        set { storage[JobQueueKey.self] = newValue }
    }

    var jobRegistry: JobRegistry {
        get { storage[JobRegistryKey.self]! }
        set { storage[JobRegistryKey.self] = newValue }
    }

    /// Sets up the queue on the app's database and registers the jobs this service runs.
    func configureJobs(settings: Settings) {
        var queueConfiguration = settings.queue.queue
        let metrics = self.metrics
        queueConfiguration.onEnqueued = { metrics.jobEnqueued(kind: $0) }
        jobQueue = JobQueue(database: db as! any SQLDatabase, configuration: queueConfiguration)
        let sender = MailSender(
            renderer: MailRenderer(app: self),
            transport: MeasuredTransport(base: mailTransport(settings.mail), backend: settings.mail.backend.name, metrics: metrics),
            settings: settings.mail)
        var registry = JobRegistry()
        registry.register(SendVerifyEmailJob(
            template: VerificationMail(verifier: emailVerifier, settings: settings.mail, metrics: metrics,
                                       tokenLifetime: settings.verifyEmailTokenExpires),
            sender: sender))
        registry.register(SendEmailChangedNoticeJob(template: EmailChangedNotice(settings: settings.mail), sender: sender))
        jobRegistry = registry
    }

    func mailTransport(_ settings: MailSettings) -> any MailTransport {
        switch settings.backend {
        case .file(let directory):
            return FileTransport(directory: URL(fileURLWithPath: directory, isDirectory: true))
        case .console:
            return ConsoleTransport()
        case .smtp(let configuration):
            let pool = smtpPool ?? SMTPConnectionPool(configuration: configuration, group: eventLoopGroup, logger: logger)
            if smtpPool == nil {
                smtpPool = pool
                lifecycle.use(SMTPPoolShutdown(pool: pool))
            }
            return SMTPTransport(pool: pool)
        }
    }

    /// Starts a worker over this app's queue (`concurrency` and `queue` override the settings) and, on
    /// PostgreSQL, the LISTEN connection that wakes it when other processes enqueue.
    func startWorker(concurrency: Int? = nil, queue: String? = nil) -> RunningWorker {
        var configuration = settings.queue.worker
        configuration.concurrency = concurrency ?? configuration.concurrency
        let metrics = self.metrics
        configuration.describeError = DatabaseErrorText.describe
        configuration.onOutcome = { kind, outcome, seconds in metrics.job(kind: kind, outcome: outcome, seconds: seconds) }
        let jobQueue = queue.map { self.jobQueue.named($0) } ?? self.jobQueue
        let worker = Worker(queue: jobQueue, registry: jobRegistry, configuration: configuration, logger: logger)
        worker.start()
        var notifications: Task<Void, Never>?
        if case .postgres(let url) = settings.databaseURL {
            notifications = PostgresJobNotifications(url: url, wakeUp: jobQueue.wakeUp, logger: logger).start()
        }
        return RunningWorker(worker: worker, notifications: notifications)
    }

    /// Runs a worker inside this process until the application shuts down.
    func startInProcessWorker() {
        lifecycle.use(startWorker())
    }
}

/// A started worker and its wake-up listener; stopping is graceful (see `Worker.shutdown`). As a lifecycle
/// handler it stops when the application shuts down (SIGTERM/SIGINT to `serve`).
struct RunningWorker: LifecycleHandler {
    let worker: Worker
    let notifications: Task<Void, Never>?

    func stop() async {
        notifications?.cancel()
        await worker.shutdown()
    }

    func shutdownAsync(_ application: Application) async {
        await stop()
    }
}

/// QUITs the pooled SMTP sessions when the application shuts down.
struct SMTPPoolShutdown: LifecycleHandler {
    let pool: SMTPConnectionPool

    func shutdownAsync(_ application: Application) async {
        await pool.shutdown()
    }
}
