import NIOConcurrencyHelpers
import SQLKit

/// Tells the workers of every process that jobs were committed: a NOTIFY on its own, after the enqueuing
/// transaction, at most one in flight, and one more for whatever was committed while it was. A NOTIFY inside the
/// enqueuing transaction would hold PostgreSQL's notification lock across that transaction's commit and WAL flush,
/// so every enqueuing transaction of every server would commit one at a time.
final class JobAnnouncer: Sendable {
    private struct State {
        var sending = false
        var again = false
    }

    private let state = NIOLockedValueBox(State())

    /// Returns at once; the NOTIFY goes in the background. A failed one is dropped: workers look again every
    /// poll interval.
    func announce(_ notify: @escaping @Sendable () async throws -> Void) {
        let leads = state.withLockedValue { state in
            if state.sending { state.again = true; return false }
            state.sending = true
            return true
        }
        guard leads else { return }
        Task {
            var more = true
            while more {
                try? await notify()
                more = state.withLockedValue { state in
                    defer { state.again = false }
                    if !state.again { state.sending = false }
                    return state.again
                }
            }
        }
    }
}
