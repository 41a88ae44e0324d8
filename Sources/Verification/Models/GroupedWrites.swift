import NIOConcurrencyHelpers

/// Writes from many concurrent callers gathered into one statement: while one batch is being written, the rows that
/// arrive wait and go together in the next, so each commit (and its WAL flush) is shared by every mail in flight
/// instead of paid by each. `write` returns once the batch holding its row is committed, or throws that batch's
/// error. No timer: a lone write goes at once.
package final class GroupedWrites<Row: Sendable>: Sendable {
    private struct Pending {
        var rows: [Row] = []
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var writing = false
    }

    private let state = NIOLockedValueBox(Pending())
    private let flush: @Sendable ([Row]) async throws -> Void

    /// `flush` writes one batch (in order of arrival) in one statement.
    package init(flush: @escaping @Sendable ([Row]) async throws -> Void) {
        self.flush = flush
    }

    package func write(_ row: Row) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let leads = state.withLockedValue { pending in
                pending.rows.append(row)
                pending.waiters.append(waiter)
                defer { pending.writing = true }
                return !pending.writing
            }
            if leads { Task { await self.drain() } }
        }
    }

    /// Writes batches until none is waiting.
    private func drain() async {
        while true {
            let (rows, waiters) = state.withLockedValue { pending in
                defer { pending.rows = []; pending.waiters = [] }
                if pending.rows.isEmpty { pending.writing = false }
                return (pending.rows, pending.waiters)
            }
            guard !rows.isEmpty else { return }
            do {
                try await flush(rows)
                for waiter in waiters { waiter.resume() }
            } catch {
                for waiter in waiters { waiter.resume(throwing: error) }
            }
        }
    }
}
