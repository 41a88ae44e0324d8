import NIOConcurrencyHelpers

/// Why a running job was stopped before it finished.
enum StopReason: Sendable, Equatable {
    /// It ran past the job time limit: recorded as a failure and retried with backoff.
    case timedOut
    /// A renewal found another worker holds it now (its lease had expired): nothing to record.
    case leaseLost
    /// Its lease could not be renewed in time (the database does not answer): stopped before the lease can
    /// expire, so that no other worker runs it while it still runs here.
    case leaseUnrenewable
    /// The worker is stopping and the grace period is over: given back.
    case shutdown
}

/// The jobs a worker holds leases on — claimed and waiting, running, or finished and waiting to be recorded — with,
/// for each, the moment (on this host's monotonic clock) after which its lease may have expired unless renewed.
/// That moment is counted from when the claim or the last successful renewal was *sent*, less a safety margin, so
/// it never lies after the database's own expiry.
final class HeldJobs: Sendable {
    private struct Entry {
        var safeUntil: ContinuousClock.Instant
        var run: Task<Void, any Error>?
        var stopReason: StopReason?
    }

    private let entries = NIOLockedValueBox<[Int64: Entry]>([:])
    private let lease: Duration

    /// - Parameter safeLease: the lease less the margin kept for the cancellation to take effect.
    init(safeLease: Duration) {
        self.lease = safeLease
    }

    var ids: [Int64] { entries.withLockedValue { Array($0.keys) } }
    var isEmpty: Bool { entries.withLockedValue { $0.isEmpty } }

    /// Records jobs claimed by a statement sent at `sent`.
    func claimed(_ ids: [Int64], sent: ContinuousClock.Instant) {
        entries.withLockedValue { entries in
            for id in ids { entries[id] = Entry(safeUntil: sent + lease) }
        }
    }

    /// Records a renewal sent at `sent` for `requested` that kept `renewed`; stops the runs of the others, which
    /// another worker holds now, forgets them, and returns their ids.
    func renewed(_ renewed: Set<Int64>, of requested: [Int64], sent: ContinuousClock.Instant) -> [Int64] {
        entries.withLockedValue { entries in
            var lost: [Int64] = []
            for id in requested {
                guard var entry = entries[id] else { continue }
                if renewed.contains(id) {
                    entry.safeUntil = max(entry.safeUntil, sent + lease)
                    entries[id] = entry
                } else {
                    lost.append(id)
                    Self.stop(&entry, .leaseLost)
                    // A run still going keeps its entry, so that it learns why it ended.
                    entries[id] = entry.run == nil ? nil : entry
                }
            }
            return lost
        }
    }

    /// Attaches the task running job `id`; false (and the task cancelled) when the job was stopped before it started.
    func attach(_ id: Int64, run: Task<Void, any Error>) -> Bool {
        let attached = entries.withLockedValue { entries -> Bool in
            guard var entry = entries[id], entry.stopReason == nil else { return false }
            entry.run = run
            entries[id] = entry
            return true
        }
        if !attached { run.cancel() }
        return attached
    }

    /// Whether job `id` may start now: still held, not stopped, and its lease still safe.
    func mayStart(_ id: Int64, at now: ContinuousClock.Instant) -> Bool {
        entries.withLockedValue { entries in
            guard let entry = entries[id] else { return false }
            return entry.stopReason == nil && now < entry.safeUntil
        }
    }

    /// Stops job `id`'s run for `reason`, unless it was already stopped for another.
    func stop(_ id: Int64, _ reason: StopReason) {
        entries.withLockedValue { entries in
            guard var entry = entries[id] else { return }
            Self.stop(&entry, reason)
            entries[id] = entry
        }
    }

    /// Stops every job whose lease is no longer safe at `now`; returns how many were stopped.
    func stopUnsafe(at now: ContinuousClock.Instant) -> Int {
        entries.withLockedValue { entries in
            var stopped = 0
            for (id, var entry) in entries where entry.stopReason == nil && now >= entry.safeUntil {
                Self.stop(&entry, .leaseUnrenewable)
                entries[id] = entry
                stopped += 1
            }
            return stopped
        }
    }

    func stopReason(_ id: Int64) -> StopReason? {
        entries.withLockedValue { $0[id]?.stopReason }
    }

    /// Forgets jobs whose outcome was recorded, or that were given up.
    func forget(_ ids: [Int64]) {
        entries.withLockedValue { entries in
            for id in ids { entries[id] = nil }
        }
    }

    private static func stop(_ entry: inout Entry, _ reason: StopReason) {
        guard entry.stopReason == nil else { return }
        entry.stopReason = reason
        entry.run?.cancel()
    }
}
