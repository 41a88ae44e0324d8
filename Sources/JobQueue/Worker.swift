import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs jobs from a queue, up to `concurrency` at once, each in a child task. One fetch loop keeps up to
/// `prefetch` claimed jobs in hand beyond the running ones, so a freed slot starts its next job at once; it claims
/// in one statement once half of those are gone (so a busy worker claims many jobs per statement), and when
/// nothing is due it sleeps until the poll interval passes or the queue's wake-up signal fires. Finished jobs are
/// marked completed in batches, one statement for all that finished within `completionBatchSeconds` (a crash in
/// that window only means the job runs again, which at-least-once delivery allows); a batch the database refuses is
/// tried again with the next one. A maintenance loop rescues expired leases and prunes
/// completed jobs. `shutdown()` stops claiming, lets running jobs finish within a grace period, gives back any
/// that do not, and records the completions still pending.
public final class Worker: Sendable {
    public struct Configuration: Sendable {
        public var concurrency = 4
        public var pollIntervalSeconds: Double = 1
        public var maintenanceIntervalSeconds: Double = 15
        public var shutdownGraceSeconds: Double = 30
        public var completionBatchSeconds: Double = 0.005
        /// Claimed jobs held ready beyond the running ones (their lease runs while they wait); nil: half of
        /// `concurrency`.
        public var prefetch: Int?
        /// Told how each run of a job ended (for metrics).
        public var onOutcome: (@Sendable (_ kind: String, _ outcome: JobOutcome, _ seconds: Double) -> Void)?

        public init() {}
    }

    public let id: String
    private let queue: JobQueue
    private let registry: JobRegistry
    private let configuration: Configuration
    private let logger: Logger
    private let stopping = NIOLockedValueBox(false)
    private let freeSlots: NIOLockedValueBox<Int>
    private let slotFreed = WakeUpSignal()
    private let finished = NIOLockedValueBox<[JobRecord]>([])
    private let jobFinished = WakeUpSignal()
    private let stopRequested = WakeUpSignal()
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    public init(queue: JobQueue, registry: JobRegistry, configuration: Configuration = .init(), logger: Logger) {
        self.id = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.queue = queue
        self.registry = registry
        self.configuration = configuration
        self.freeSlots = NIOLockedValueBox(configuration.concurrency)
        var logger = logger
        logger[metadataKey: "worker"] = "\(id)"
        self.logger = logger
    }

    private var isStopping: Bool { stopping.withLockedValue { $0 } }

    public func start() {
        logger.info("worker started", metadata: ["concurrency": "\(configuration.concurrency)", "queue": "\(queue.configuration.queue)", "kinds": "\(registry.kinds)"])
        let runner = Task { await self.run() }
        task.withLockedValue { $0 = runner }
    }

    /// Stops claiming, waits up to the grace period for running jobs, then cancels and releases the rest.
    public func shutdown() async {
        stopping.withLockedValue { $0 = true }
        queue.wakeUp.signal()
        slotFreed.signal()
        jobFinished.signal()
        stopRequested.signal()
        guard let runner = task.withLockedValue({ $0 }) else { return }
        let grace = Task {
            try await Task.sleep(nanoseconds: UInt64(configuration.shutdownGraceSeconds * 1e9))
            logger.warning("shutdown grace period over; cancelling running jobs")
            runner.cancel()
        }
        await runner.value
        grace.cancel()
        await recordCompletions()
        logger.info("worker stopped")
    }

    private var prefetch: Int { max(0, configuration.prefetch ?? max(1, configuration.concurrency / 2)) }

    private func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintenance() }
            group.addTask { await self.completer() }
            var ready: [JobRecord] = []
            var drained = false
            while !isStopping && !Task.isCancelled {
                startReadyJobs(&ready, in: &group)
                let room = configuration.concurrency - runningCount + prefetch - ready.count
                if !drained && ready.count <= prefetch / 2 && room > 0 {
                    do {
                        let claimed = try await queue.claim(limit: room, worker: id)
                        ready += claimed
                        drained = claimed.count < room
                    } catch {
                        logger.error("claiming jobs failed; retrying after the poll interval", metadata: ["error": "\(error)"])
                        drained = true
                    }
                    startReadyJobs(&ready, in: &group)
                }
                if ready.isEmpty && drained {
                    await queue.wakeUp.wait(seconds: configuration.pollIntervalSeconds, unless: { self.isStopping })
                    drained = false
                } else if !ready.isEmpty || !hasFreeSlot {
                    await slotFreed.wait(seconds: configuration.pollIntervalSeconds, unless: { self.isStopping || self.hasFreeSlot })
                }
            }
            await giveBack(ready)
        }
    }

    private func startReadyJobs(_ ready: inout [JobRecord], in group: inout DiscardingTaskGroup) {
        let count = min(ready.count, freeSlots.withLockedValue { $0 })
        guard count > 0 else { return }
        freeSlots.withLockedValue { $0 -= count }
        for job in ready.prefix(count) {
            group.addTask {
                await self.execute(job)
                self.freeSlots.withLockedValue { $0 += 1 }
                self.slotFreed.signal()
                self.jobFinished.signal()
            }
        }
        ready.removeFirst(count)
    }

    /// Returns claimed jobs that never started, so another worker can take them now rather than after the lease.
    /// In a fresh task: after the grace period this one is cancelled, and so would be the queries.
    private func giveBack(_ jobs: [JobRecord]) async {
        guard !jobs.isEmpty else { return }
        await Task { [queue, id, logger] in
            for job in jobs {
                do { try await queue.release(job, worker: id) } catch {
                    logger.error("giving a job back failed; its lease will return it", metadata: ["job": "\(job.id)", "error": "\(error)"])
                }
            }
        }.value
    }

    private var runningCount: Int { configuration.concurrency - freeSlots.withLockedValue { $0 } }
    private var hasFreeSlot: Bool { freeSlots.withLockedValue { $0 > 0 } }
    private var isIdle: Bool { freeSlots.withLockedValue { $0 == configuration.concurrency } }

    /// Records finished jobs in batches until the worker stops and no job is running.
    private func completer() async {
        while !(isStopping && isIdle) && !Task.isCancelled {
            await jobFinished.wait(seconds: configuration.pollIntervalSeconds, unless: { self.isStopping && self.isIdle })
            try? await Task.sleep(nanoseconds: UInt64(configuration.completionBatchSeconds * 1e9))  // let a batch gather
            await recordCompletions()
        }
    }

    private func recordCompletions() async {
        let batch = finished.withLockedValue { batch in
            defer { batch = [] }
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            let kept = try await queue.complete(batch, worker: id)
            if kept < batch.count {
                logger.warning("some jobs finished after their lease expired; they may run again", metadata: ["count": "\(batch.count - kept)"])
            }
        } catch {
            // Kept for the next round: once the database answers again they are recorded, rather than run again
            // when their leases expire (or, if the worker stops first, by then).
            finished.withLockedValue { $0.insert(contentsOf: batch, at: 0) }
            logger.error("recording completed jobs failed; retrying", metadata: ["count": "\(batch.count)", "error": "\(error)"])
        }
    }

    private func maintenance() async {
        while !isStopping && !Task.isCancelled {
            do {
                let rescued = try await queue.rescueExpiredLeases()
                if rescued > 0 {
                    logger.warning("rescued jobs whose lease expired", metadata: ["count": "\(rescued)"])
                    queue.wakeUp.signal()
                }
                let pruned = try await queue.pruneCompleted()
                if pruned > 0 { logger.info("pruned completed jobs", metadata: ["count": "\(pruned)"]) }
            } catch {
                logger.error("queue maintenance failed", metadata: ["error": "\(error)"])
            }
            await stopRequested.wait(seconds: configuration.maintenanceIntervalSeconds, unless: { self.isStopping })
        }
    }

    func execute(_ job: JobRecord) async {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(job.id)"
        jobLogger[metadataKey: "kind"] = "\(job.kind)"
        jobLogger[metadataKey: "attempt"] = "\(job.attempt)/\(job.maxAttempts)"
        let context = JobContext(jobID: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, enqueuedAt: job.createdAt, logger: jobLogger)
        let started = ContinuousClock.now
        do {
            try await registry.perform(job, context: context)
            finished.withLockedValue { $0.append(job) }
            jobLogger.debug("job done", metadata: ["seconds": "\(started.duration(to: .now))"])
            configuration.onOutcome?(job.kind, .completed, Self.seconds(since: started))
        } catch where Task.isCancelled {
            jobLogger.warning("job interrupted by shutdown; giving it back", metadata: ["error": "\(error)"])
            // A fresh task: this one is cancelled, and so would be the release's query.
            let release = Task { [queue, id] in try await queue.release(job, worker: id) }
            if case .failure(let releaseError) = await release.result {
                jobLogger.error("giving the job back failed; its lease will return it", metadata: ["error": "\(releaseError)"])
            }
        } catch {
            let state = await recordFailure(of: job, error: error, logger: jobLogger)
            configuration.onOutcome?(job.kind, state == .dead ? .dead : .retried, Self.seconds(since: started))
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// The state the job is left in, or nil when that could not be recorded.
    private func recordFailure(of job: JobRecord, error: any Error, logger: Logger) async -> JobState? {
        let permanent = (error as? any ClassifiedJobError)?.isPermanent ?? false
        do {
            let state = try await queue.fail(job, worker: id, error: "\(error)", permanent: permanent)
            let level: Logger.Level = state == .dead ? .error : .warning
            logger.log(level: level, "job failed", metadata: [
                "error": "\(error)", "permanent": "\(permanent)", "now": "\(state?.rawValue ?? "lost lease")",
            ])
            return state
        } catch let storeError {
            logger.error("job failed and recording the failure failed too; the lease will return it",
                         metadata: ["error": "\(error)", "store_error": "\(storeError)"])
            return nil
        }
    }
}
