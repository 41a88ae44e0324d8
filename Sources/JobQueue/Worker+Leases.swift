import Foundation

/// The loops that keep a worker's leases: the maintenance leader's rescuer and pruner, the heartbeat that renews
/// held jobs, and the watch that stops jobs whose lease could not be renewed in time.
extension Worker {
    /// Runs the rescuer and the pruner each interval while this worker holds the maintenance leadership.
    func maintenance() async {
        let interval = configuration.maintenanceIntervalSeconds
        var leading = false
        while !isStopping && !Task.isCancelled {
            do {
                let leads = try await queue.holdMaintenanceLeadership(worker: id, seconds: 2 * interval + 1)
                if leads != leading {
                    logger.info(leads ? "this worker now runs queue maintenance (rescuer and pruner)" : "another worker runs queue maintenance now")
                    leading = leads
                }
                if leads { try await maintain() }
            } catch {
                logger.error("queue maintenance failed", metadata: ["error": "\(configuration.describeError(error))"])
            }
            await stopRequested.wait(seconds: interval, unless: { self.isStopping })
        }
        if leading {
            try? await queue.resignMaintenanceLeadership(worker: id)
        }
    }

    private func maintain() async throws {
        let rescued = try await queue.rescueExpiredLeases()
        if rescued > 0 {
            logger.warning("rescued jobs whose lease expired", metadata: ["count": "\(rescued)"])
            queue.wakeUp.signal()
        }
        let pruned = try await queue.pruneCompleted()
        if pruned > 0 { logger.info("pruned completed jobs", metadata: ["count": "\(pruned)"]) }
    }

    /// Renews the leases of every held job each renewal interval, until the worker has stopped and holds nothing.
    func heartbeat() async {
        var lastRenewal = ContinuousClock.now
        while keepsLeases {
            await pause(renewalSeconds)
            guard lastRenewal.duration(to: .now) >= .seconds(renewalSeconds) else { continue }
            lastRenewal = .now
            let ids = held.ids
            guard !ids.isEmpty else { continue }
            do {
                let renewed = try await queue.renew(ids, worker: id)
                let lost = held.renewed(renewed, of: ids, sent: lastRenewal)
                if !lost.isEmpty {
                    logger.warning("another worker holds jobs this one was running; stopping them here", metadata: ["jobs": "\(lost)"])
                }
            } catch {
                logger.error("renewing job leases failed; retrying", metadata: ["count": "\(ids.count)", "error": "\(configuration.describeError(error))"])
            }
        }
    }

    /// Cancels the jobs whose lease could not be renewed in time, independently of a renewal that hangs.
    func leaseWatch() async {
        while keepsLeases {
            let stopped = held.stopUnsafe(at: .now)
            if stopped > 0 {
                logger.error("job leases could not be renewed; stopping those jobs before another worker may take them", metadata: ["count": "\(stopped)"])
            }
            await pause(renewalSeconds / 4)
        }
    }

    /// Until the worker has stopped and holds no job (or its grace period is over).
    private var keepsLeases: Bool { !(isStopping && held.isEmpty) && !Task.isCancelled }

    /// Waits `seconds`, or only a moment once the worker is stopping, so that the loops that run until it holds
    /// no job end as soon as it does.
    private func pause(_ seconds: Double) async {
        if isStopping {
            try? await Task.sleep(nanoseconds: 50_000_000)
        } else {
            await stopRequested.wait(seconds: seconds, unless: { self.isStopping })
        }
    }
}
