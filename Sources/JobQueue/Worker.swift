import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs jobs from a queue, up to `concurrency` at once, each in a task of its own under the job time limit. While
/// it holds jobs, a heartbeat renews their leases every `leaseRenewalSeconds`, so a slow but live job is never
/// rescued; a job whose lease could not be renewed in time (the database does not answer) is cancelled before the
/// lease can expire, and one that another worker holds now is cancelled at once. One fetch loop keeps up to
/// `prefetch` claimed jobs in hand beyond the running ones, so a freed slot starts its next job at once; it claims
/// in one statement once half of those are gone (so a busy worker claims many jobs per statement), and when
/// nothing is due it sleeps until the poll interval passes or the queue's wake-up signal fires. Finished jobs are
/// marked completed in batches, one statement for all that finished within `completionBatchSeconds` (a crash in
/// that window only means the job runs again, which at-least-once delivery allows); a batch the database refuses is
/// tried again with the next one. A maintenance loop rescues expired leases and prunes
/// completed jobs while this worker holds the maintenance leadership, which one worker among all hosts holds at
/// a time. `shutdown()` stops claiming, lets running jobs finish within a grace period, gives back any
/// that do not, and records the completions still pending.
public final class Worker: Sendable {
    public struct Configuration: Sendable {
        public var concurrency = 4
        public var pollIntervalSeconds: Double = 1
        public var maintenanceIntervalSeconds: Double = 15
        /// The time limit of one run of a job; a run still going then is cancelled and retried with backoff.
        public var jobTimeoutSeconds: Double = 300
        /// How often the leases of held jobs are renewed; nil: a sixth of the queue's lease, at most 10 s.
        /// Must leave room for a missed renewal or two within the lease (see `JobQueue.Configuration.leaseSeconds`).
        public var leaseRenewalSeconds: Double?
        public var shutdownGraceSeconds: Double = 30
        public var completionBatchSeconds: Double = 0.005
        /// Claimed jobs held ready beyond the running ones (their lease runs while they wait); nil: half of
        /// `concurrency`.
        public var prefetch: Int?
        /// How an error appears in logs and in a job's `last_error` (a database driver's may need care: see the app).
        public var describeError: @Sendable (any Error) -> String = { "\($0)" }
        /// Told how each run of a job ended (for metrics).
        public var onOutcome: (@Sendable (_ kind: String, _ outcome: JobOutcome, _ seconds: Double) -> Void)?
        /// Told of each job claimed (for metrics).
        public var onClaimed: (@Sendable (_ kind: String) -> Void)?

        public init() {}
    }

    public let id: String
    let queue: JobQueue
    let registry: JobRegistry
    let configuration: Configuration
    let logger: Logger
    private let stopping = NIOLockedValueBox(false)
    private let freeSlots: NIOLockedValueBox<Int>
    private let slotFreed = WakeUpSignal()
    let finished = NIOLockedValueBox<[JobRecord]>([])
    private let jobFinished = WakeUpSignal()
    let stopRequested = WakeUpSignal()
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    let held: HeldJobs

    public init(queue: JobQueue, registry: JobRegistry, configuration: Configuration = .init(), logger: Logger) {
        self.id = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.queue = queue
        self.registry = registry
        self.configuration = configuration
        self.freeSlots = NIOLockedValueBox(configuration.concurrency)
        let renewal = Self.leaseRenewalSeconds(configuration, leaseSeconds: queue.configuration.leaseSeconds)
        self.held = HeldJobs(safeLease: .seconds(queue.configuration.leaseSeconds - renewal))
        var logger = logger
        logger[metadataKey: "worker"] = "\(id)"
        self.logger = logger
    }

    var isStopping: Bool { stopping.withLockedValue { $0 } }

    /// The renewal interval in use: the configured one, or a sixth of the lease, at most 10 s.
    public static func leaseRenewalSeconds(_ configuration: Configuration, leaseSeconds: Double) -> Double {
        configuration.leaseRenewalSeconds ?? min(10, leaseSeconds / 6)
    }

    var renewalSeconds: Double {
        Self.leaseRenewalSeconds(configuration, leaseSeconds: queue.configuration.leaseSeconds)
    }

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
            group.addTask { await self.heartbeat() }
            group.addTask { await self.leaseWatch() }
            var ready: [JobRecord] = []
            var drained = false
            while !isStopping && !Task.isCancelled {
                startReadyJobs(&ready, in: &group)
                let room = configuration.concurrency - runningCount + prefetch - ready.count
                if !drained && ready.count <= prefetch / 2 && room > 0 {
                    do {
                        let sent = ContinuousClock.now
                        let claimed = try await queue.claim(limit: room, worker: id)
                        held.claimed(claimed.map(\.id), sent: sent)
                        for job in claimed { configuration.onClaimed?(job.kind) }
                        ready += claimed
                        drained = claimed.count < room
                    } catch {
                        logger.error("claiming jobs failed; retrying after the poll interval", metadata: ["error": "\(configuration.describeError(error))"])
                        drained = true
                    }
                    // A claim that was in flight when the stop came is given back below, not started.
                    guard !isStopping else { break }
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
        let now = ContinuousClock.now
        let unsafe = ready.filter { !held.mayStart($0.id, at: now) }
        if !unsafe.isEmpty {
            // Their leases could not be renewed: another worker may have them by now; the rescuer returns the rest.
            logger.warning("giving up claimed jobs whose lease could not be renewed", metadata: ["count": "\(unsafe.count)"])
            held.forget(unsafe.map(\.id))
            ready.removeAll { job in unsafe.contains { $0.id == job.id } }
        }
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
        await Task { [queue, id, logger, held] in
            for job in jobs {
                do { try await queue.release(job, worker: id) } catch {
                    logger.error("giving a job back failed; its lease will return it", metadata: ["job": "\(job.id)", "error": "\(configuration.describeError(error))"])
                }
                held.forget([job.id])
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
        // A job that finished while the last batch was being recorded is in none yet; the heartbeat keeps its lease
        // until it is, so it is recorded before the worker stops rather than after the grace period.
        await recordCompletions()
    }

    private func recordCompletions() async {
        let batch = finished.withLockedValue { batch in
            defer { batch = [] }
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            let kept = try await queue.complete(batch, worker: id)
            held.forget(batch.map(\.id))
            if kept < batch.count {
                logger.warning("some jobs finished after their lease expired; they may run again", metadata: ["count": "\(batch.count - kept)"])
            }
        } catch {
            // Kept for the next round: once the database answers again they are recorded, rather than run again
            // when their leases expire (or, if the worker stops first, by then).
            finished.withLockedValue { $0.insert(contentsOf: batch, at: 0) }
            logger.error("recording completed jobs failed; retrying", metadata: ["count": "\(batch.count)", "error": "\(configuration.describeError(error))"])
        }
    }
}
