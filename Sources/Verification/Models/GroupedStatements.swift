import NIOConcurrencyHelpers

/// Statements from many concurrent callers gathered into one: while one batch is being run, the inputs that arrive
/// wait and go together in the next, so each round trip and commit (with its WAL flush) is shared by every mail in
/// flight instead of paid by each. `run` returns its input's answer once its batch has run, or throws that batch's
/// error. No timer: a lone input goes at once.
package final class GroupedStatements<Input: Sendable, Output: Sendable>: Sendable {
    private struct Pending {
        var inputs: [Input] = []
        var waiters: [CheckedContinuation<Output, any Error>] = []
        var running = false
    }

    private let state = NIOLockedValueBox(Pending())
    private let batch: @Sendable ([Input]) async throws -> [Output]

    /// `batch` runs one batch (in order of arrival) in one statement and answers each input, in the same order.
    package init(batch: @escaping @Sendable ([Input]) async throws -> [Output]) {
        self.batch = batch
    }

    package func run(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Output, any Error>) in
            let leads = state.withLockedValue { pending in
                pending.inputs.append(input)
                pending.waiters.append(waiter)
                defer { pending.running = true }
                return !pending.running
            }
            if leads { Task { await self.drain() } }
        }
    }

    /// Runs batches until none is waiting.
    private func drain() async {
        while true {
            let (inputs, waiters) = state.withLockedValue { pending in
                defer { pending.inputs = []; pending.waiters = [] }
                if pending.inputs.isEmpty { pending.running = false }
                return (pending.inputs, pending.waiters)
            }
            guard !inputs.isEmpty else { return }
            do {
                let outputs = try await batch(inputs)
                guard outputs.count == waiters.count else { throw GroupedStatementsError(inputs: inputs.count, outputs: outputs.count) }
                for (waiter, output) in zip(waiters, outputs) { waiter.resume(returning: output) }
            } catch {
                for waiter in waiters { waiter.resume(throwing: error) }
            }
        }
    }
}

/// Writes gathered into one statement: `write` returns once its row is committed.
package typealias GroupedWrites<Row: Sendable> = GroupedStatements<Row, Void>

extension GroupedStatements where Output == Void {
    /// `flush` writes one batch, in order of arrival, in one statement.
    package convenience init(flush: @escaping @Sendable ([Input]) async throws -> Void) {
        self.init(batch: { inputs in
            try await flush(inputs)
            return Array(repeating: (), count: inputs.count)
        })
    }

    package func write(_ row: Input) async throws {
        try await run(row)
    }
}

struct GroupedStatementsError: Error, CustomStringConvertible {
    var inputs: Int
    var outputs: Int

    var description: String { "a grouped statement answered \(outputs) of \(inputs) inputs" }
}
