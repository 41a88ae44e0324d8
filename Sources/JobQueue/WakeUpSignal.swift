import Foundation
import NIOConcurrencyHelpers

/// Lets idle workers sleep until either a poll interval passes or someone signals that work arrived.
public final class WakeUpSignal: Sendable {
    private enum Waiter {
        case waiting(CheckedContinuation<Void, Never>)
        case resumed
        /// The wait ended before its continuation was registered.
        case abandoned
    }

    private let waiters = NIOLockedValueBox<[UUID: Waiter]>([:])

    public init() {}

    /// Wakes every current waiter.
    public func signal() {
        let continuations = waiters.withLockedValue { waiters in
            waiters.keys.compactMap { Self.markResumed(&waiters, $0) }
        }
        continuations.forEach { $0.resume() }
    }

    /// Returns on `signal()`, after `seconds`, when the task is cancelled, or at once if `stop()` holds.
    /// `stop()` is checked after the waiter is registered, so a stop flag set before a `signal()` is never missed.
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

    private func wake(_ id: UUID) {
        waiters.withLockedValue { Self.markResumed(&$0, id) }?.resume()
    }

    private static func markResumed(_ waiters: inout [UUID: Waiter], _ id: UUID) -> CheckedContinuation<Void, Never>? {
        guard case .waiting(let continuation) = waiters[id] else { return nil }
        waiters[id] = .resumed
        return continuation
    }

    private func register(_ id: UUID, _ continuation: CheckedContinuation<Void, Never>) {
        let abandoned = waiters.withLockedValue { waiters in
            if case .abandoned = waiters[id] {
                waiters[id] = nil
                return true
            }
            waiters[id] = .waiting(continuation)
            return false
        }
        if abandoned { continuation.resume() }
    }

    private func finish(_ id: UUID) {
        let continuation = waiters.withLockedValue { waiters -> CheckedContinuation<Void, Never>? in
            switch waiters[id] {
            case .waiting(let continuation):
                waiters[id] = nil
                return continuation
            case .resumed, .abandoned:
                waiters[id] = nil
                return nil
            case nil:
                waiters[id] = .abandoned
                return nil
            }
        }
        continuation?.resume()
    }
}
