import Foundation
import NIOConcurrencyHelpers

/// Lets idle workers sleep until either a poll interval passes or someone signals that work arrived.
/// A signal that finds nobody waiting is kept for the next wait, so work that arrives between a worker's last
/// look and its sleep is not missed.
public final class WakeUpSignal: Sendable {
    private enum Waiter {
        case waiting(CheckedContinuation<Void, Never>)
        case resumed
        /// The wait ended before its continuation was registered.
        case abandoned
    }

    private struct State {
        var waiters: [UUID: Waiter] = [:]
        var pending = false
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Wakes every current waiter, or the next one to come when none is waiting.
    public func signal() {
        let continuations = state.withLockedValue { state in
            let woken = state.waiters.keys.compactMap { Self.markResumed(&state.waiters, $0) }
            if woken.isEmpty { state.pending = true }
            return woken
        }
        continuations.forEach { $0.resume() }
    }

    /// Returns on `signal()` (or one that came while nobody waited), after `seconds`, when the task is cancelled,
    /// or at once if `stop()` holds. `stop()` is checked after the waiter is registered, so a stop flag set before
    /// a `signal()` is never missed.
    public func wait(seconds: Double, unless stop: @escaping @Sendable () -> Bool = { false }) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation {
                    self.register(id, $0)
                    if stop() { self.wake(id) }
                }
            }
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1e9)) }
            await group.next()
            self.finish(id)
            group.cancelAll()
        }
    }

    private func register(_ id: UUID, _ continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = state.withLockedValue { state in
            if case .abandoned = state.waiters[id] {
                state.waiters[id] = nil
                return true
            }
            if state.pending {
                state.pending = false
                state.waiters[id] = .resumed
                return true
            }
            state.waiters[id] = .waiting(continuation)
            return false
        }
        if resumeNow { continuation.resume() }
    }

    private func wake(_ id: UUID) {
        state.withLockedValue { Self.markResumed(&$0.waiters, id) }?.resume()
    }

    private static func markResumed(_ waiters: inout [UUID: Waiter], _ id: UUID) -> CheckedContinuation<Void, Never>? {
        guard case .waiting(let continuation) = waiters[id] else { return nil }
        waiters[id] = .resumed
        return continuation
    }

    private func finish(_ id: UUID) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            switch state.waiters[id] {
            case .waiting(let continuation):
                state.waiters[id] = nil
                return continuation
            case .resumed, .abandoned:
                state.waiters[id] = nil
                return nil
            case nil:
                state.waiters[id] = .abandoned
                return nil
            }
        }
        continuation?.resume()
    }
}
