import Fluent
import JobQueue
import Mail
import SQLKit
import Vapor

extension Application {
    private struct JobQueueKey: StorageKey {
        typealias Value = JobQueue
    }

    private struct JobRegistryKey: StorageKey {
        typealias Value = JobRegistry
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
        jobQueue = JobQueue(database: db as! any SQLDatabase, configuration: settings.queue.queue)
        var registry = JobRegistry()
        registry.register(SendVerifyEmailJob(
            verifier: emailVerifier, renderer: VerificationMailRenderer(app: self),
            transport: Self.mailTransport(settings.mail), settings: settings.mail,
            tokenLifetime: settings.verifyEmailTokenExpires))
        jobRegistry = registry
    }

    static func mailTransport(_ settings: MailSettings) -> any MailTransport {
        switch settings.backend {
        case .file(let directory): FileTransport(directory: URL(fileURLWithPath: directory, isDirectory: true))
        case .console: ConsoleTransport()
        }
    }

    /// A worker over this app's queue; `concurrency` and `queue` override the settings.
    func makeWorker(concurrency: Int? = nil, queue: String? = nil) -> Worker {
        var configuration = settings.queue.worker
        configuration.concurrency = concurrency ?? configuration.concurrency
        var jobQueue = self.jobQueue
        if let queue {
            var queueConfiguration = jobQueue.configuration
            queueConfiguration.queue = queue
            jobQueue = JobQueue(database: jobQueue.database, configuration: queueConfiguration)
        }
        return Worker(queue: jobQueue, registry: jobRegistry, configuration: configuration, logger: logger)
    }

    /// Runs a worker inside this process until the application shuts down.
    func startInProcessWorker() {
        let worker = makeWorker()
        worker.start()
        lifecycle.use(WorkerShutdown(worker: worker))
    }
}

/// Stops an in-process worker gracefully when the application shuts down (SIGTERM/SIGINT to `serve`).
struct WorkerShutdown: LifecycleHandler {
    let worker: Worker

    func shutdownAsync(_ application: Application) async {
        await worker.shutdown()
    }
}
