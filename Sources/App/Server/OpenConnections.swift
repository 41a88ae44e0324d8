import NIOConcurrencyHelpers
import NIOCore
import Verification

/// The listener's open connections against its cap: at the cap it stops accepting (new connections wait in the
/// kernel's backlog instead of taking file descriptors), and accepts again once one closes. Every count and every
/// switch happens on the listener's event loop, in order, so a pause can never land after the resume that
/// should follow it.
final class OpenConnections: Sendable {
    let maximum: Int
    /// Called on each pause, for a log line.
    private let onPause: @Sendable (Int) -> Void
    private let state = NIOLockedValueBox((open: 0, paused: false))
    private let listener = NIOLockedValueBox<(any Channel)?>(nil)

    init(maximum: Int, onPause: @escaping @Sendable (Int) -> Void) {
        self.maximum = maximum
        self.onPause = onPause
    }

    func listening(on channel: any Channel) {
        listener.withLockedValue { $0 = channel }
    }

    func opened() { adjust(by: 1) }
    func closed() { adjust(by: -1) }

    var count: Int { state.withLockedValue { $0.open } }

    private func adjust(by change: Int) {
        guard let channel = listener.withLockedValue({ $0 }) else { return }
        channel.eventLoop.execute { [state, maximum, onPause] in
            let (pause, resume) = state.withLockedValue { state -> (Bool, Bool) in
                state.open += change
                let full = state.open >= maximum
                defer { state.paused = full }
                return (full && !state.paused, !full && state.paused)
            }
            if pause {
                channel.setOption(.autoRead, value: false).whenFailure { _ in }
                onPause(maximum)
            }
            if resume {
                channel.setOption(.autoRead, value: true).whenFailure { _ in }
                channel.read()
            }
        }
    }
}
