import JobQueue

/// The job queue and its workers (DESIGN.md §5).
public struct QueueSettings: Sendable {
    public var queue = JobQueue.Configuration()
    public var worker = Worker.Configuration()

    public init() {}

    static func load(from reader: VariableReader) throws(SettingsError) -> QueueSettings {
        var settings = QueueSettings()
        settings.queue.queue = reader.string("JOB_QUEUE") ?? settings.queue.queue
        settings.queue.maxAttempts = Int(try reader.integer("JOB_MAX_ATTEMPTS", default: Int64(settings.queue.maxAttempts), minimum: 1))
        settings.queue.leaseSeconds = try reader.seconds("JOB_LEASE_SECONDS", default: settings.queue.leaseSeconds)
        settings.queue.backoff.base = try reader.seconds("JOB_BACKOFF_BASE", default: settings.queue.backoff.base)
        settings.queue.backoff.cap = try reader.seconds("JOB_BACKOFF_CAP", default: settings.queue.backoff.cap)
        settings.queue.completedRetentionSeconds = try reader.seconds("JOB_RETENTION_SECONDS", default: settings.queue.completedRetentionSeconds)
        settings.worker.concurrency = Int(try reader.integer("WORKER_CONCURRENCY", default: Int64(settings.worker.concurrency), minimum: 1, maximum: 256))
        settings.worker.pollIntervalSeconds = try reader.seconds("WORKER_POLL_INTERVAL", default: settings.worker.pollIntervalSeconds)
        settings.worker.shutdownGraceSeconds = try reader.seconds("WORKER_SHUTDOWN_GRACE", default: settings.worker.shutdownGraceSeconds)
        return settings
    }
}
