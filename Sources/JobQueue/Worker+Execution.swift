import Foundation
import Logging

/// One run of a job: under the time limit, stoppable by the heartbeat, its outcome recorded.
extension Worker {
    func execute(_ job: JobRecord) async {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(job.id)"
        jobLogger[metadataKey: "kind"] = "\(job.kind)"
        jobLogger[metadataKey: "attempt"] = "\(job.attempt)/\(job.maxAttempts)"
        let context = JobContext(jobID: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, enqueuedAt: job.createdAt, logger: jobLogger)
        let started = ContinuousClock.now
        let run = Task { [registry] in try await registry.perform(job, context: context) }
        guard held.attach(job.id, run: run) else {
            // No longer renewed from here on: its lease returns it to the queue.
            held.forget([job.id])
            jobLogger.warning("job stopped before it started; its lease returns it")
            return
        }
        let timeout = configuration.jobTimeoutSeconds
        let timer = Task { [held] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            held.stop(job.id, .timedOut)
        }
        let result = await withTaskCancellationHandler {
            await run.result
        } onCancel: {
            held.stop(job.id, .shutdown)
        }
        timer.cancel()
        switch (result, held.stopReason(job.id)) {
        case (.success, _):
            finished.withLockedValue { $0.append(job) }
            jobLogger.debug("job done", metadata: ["seconds": "\(started.duration(to: .now))"])
            configuration.onOutcome?(job.kind, .completed, Self.seconds(since: started))
            return
        case (.failure(let error), .shutdown?):
            jobLogger.warning("job interrupted by shutdown; giving it back", metadata: ["error": "\(configuration.describeError(error))"])
            // A fresh task: this one is cancelled, and so would be the release's query.
            let release = Task { [queue, id] in try await queue.release(job, worker: id) }
            if case .failure(let releaseError) = await release.result {
                jobLogger.error("giving the job back failed; its lease will return it", metadata: ["error": "\(configuration.describeError(releaseError))"])
            }
        case (.failure(let error), .leaseLost?):
            jobLogger.warning("job stopped: another worker holds it now", metadata: ["error": "\(configuration.describeError(error))"])
        case (.failure(let error), let reason):
            // Stopped by its time limit or its lease, the run failed for that reason, whatever the cancellation threw.
            let cause: any Error = switch reason {
            case .timedOut?: JobTimedOut(seconds: timeout)
            case .leaseUnrenewable?: JobLeaseUnrenewable()
            default: error
            }
            let state = await recordFailure(of: job, error: cause, logger: jobLogger)
            configuration.onOutcome?(job.kind, state == .dead ? .dead : .retried, Self.seconds(since: started))
        }
        held.forget([job.id])
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// The state the job is left in, or nil when that could not be recorded.
    private func recordFailure(of job: JobRecord, error: any Error, logger: Logger) async -> JobState? {
        let permanent = (error as? any ClassifiedJobError)?.isPermanent ?? false
        do {
            let state = try await queue.fail(job, worker: id, error: configuration.describeError(error), permanent: permanent)
            let level: Logger.Level = state == .dead ? .error : .warning
            logger.log(level: level, "job failed", metadata: [
                "error": "\(configuration.describeError(error))", "permanent": "\(permanent)", "now": "\(state?.rawValue ?? "lost lease")",
            ])
            return state
        } catch let storeError {
            logger.error("job failed and recording the failure failed too; the lease will return it",
                         metadata: ["error": "\(configuration.describeError(error))", "store_error": "\(configuration.describeError(storeError))"])
            return nil
        }
    }
}

/// A run that reached the job time limit; the job is retried with backoff.
struct JobTimedOut: ClassifiedJobError, CustomStringConvertible {
    var seconds: Double
    var isPermanent: Bool { false }
    var description: String { "the job ran past its time limit of \(seconds) s and was cancelled" }
}

/// A run stopped because its lease could not be renewed in time.
struct JobLeaseUnrenewable: ClassifiedJobError, CustomStringConvertible {
    var isPermanent: Bool { false }
    var description: String { "the job's lease could not be renewed (the database did not answer); cancelled before it expired" }
}
