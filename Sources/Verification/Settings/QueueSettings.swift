import JobQueue

/// The job queue and its workers: `JOB_*` and `WORKER_*`.
public struct QueueSettings: Sendable {
    public var queue = JobQueue.Configuration()
    public var worker = Worker.Configuration()

    /// Jobs a worker runs at once unless `WORKER_CONCURRENCY` says otherwise: a mail spends most of its time waiting
    /// for the relay and the database, and enough of them in flight share each statement and commit
    /// (`GroupedWrites`, the batched claims and completions).
    public static let defaultConcurrency = 32

    public init() {
        worker.concurrency = Self.defaultConcurrency
    }

    package static func load(from reader: VariableReader) throws(SettingsError) -> QueueSettings {
        var settings = QueueSettings()
        settings.queue.queue = reader.string("JOB_QUEUE") ?? settings.queue.queue
        settings.queue.maxAttempts = Int(try reader.integer("JOB_MAX_ATTEMPTS", default: Int64(settings.queue.maxAttempts), minimum: 1))
        settings.queue.leaseSeconds = try reader.seconds("JOB_LEASE_SECONDS", default: settings.queue.leaseSeconds)
        settings.worker.leaseRenewalSeconds = try reader.optionalSeconds("JOB_LEASE_RENEW_INTERVAL")
        settings.worker.jobTimeoutSeconds = try reader.seconds("JOB_TIMEOUT", default: settings.worker.jobTimeoutSeconds)
        // A rescue waits for the maintenance tick after a lease expires; a short lease means a short wait.
        settings.worker.maintenanceIntervalSeconds = min(settings.worker.maintenanceIntervalSeconds, settings.queue.leaseSeconds)
        settings.queue.backoff.base = try reader.seconds("JOB_BACKOFF_BASE", default: settings.queue.backoff.base)
        settings.queue.backoff.cap = try reader.seconds("JOB_BACKOFF_CAP", default: settings.queue.backoff.cap)
        settings.queue.completedRetentionSeconds = try reader.seconds("JOB_RETENTION_SECONDS", default: settings.queue.completedRetentionSeconds)
        settings.worker.concurrency = Int(try reader.integer("WORKER_CONCURRENCY", default: Int64(settings.worker.concurrency), minimum: 1, maximum: 256))
        settings.worker.pollIntervalSeconds = try reader.seconds("WORKER_POLL_INTERVAL", default: settings.worker.pollIntervalSeconds)
        settings.worker.shutdownGraceSeconds = try reader.seconds("WORKER_SHUTDOWN_GRACE", default: settings.worker.shutdownGraceSeconds)
        return settings
    }

    /// The job time limit and the lease renewal must fit each other and the mail settings: a renewal at most a
    /// third of the lease leaves room for a missed renewal or two before the lease could expire under a live job,
    /// and a time limit shorter than one SMTP step would cancel every send that waits for a slow reply.
    package func validate(mail: MailSettings) throws(SettingsError) {
        let renewal = Worker.leaseRenewalSeconds(worker, leaseSeconds: queue.leaseSeconds)
        if renewal > queue.leaseSeconds / 3 {
            throw SettingsError(variable: "JOB_LEASE_RENEW_INTERVAL", problem: "must be at most a third of JOB_LEASE_SECONDS (\(queue.leaseSeconds) s), so that a missed renewal leaves the lease standing")
        }
        if case .smtp(let smtp) = mail.backend, worker.jobTimeoutSeconds < smtp.timeout {
            throw SettingsError(variable: "JOB_TIMEOUT", problem: "must be at least EMAIL_TIMEOUT (\(smtp.timeout) s), the time one SMTP step may take")
        }
    }
}
