import NIOConcurrencyHelpers
import Testing

@testable import Verification

/// Many callers, few statements: what the worker's grouped writes and lookups rely on.
struct GroupedStatementsTests {
    @Test func concurrentCallersShareBatchesAndEachGetsItsOwnAnswer() async throws {
        let batches = NIOLockedValueBox<[[Int]]>([])
        let grouped = GroupedStatements<Int, Int> { inputs in
            batches.withLockedValue { $0.append(inputs) }
            try await Task.sleep(nanoseconds: 5_000_000)   // a statement's round trip, during which others gather
            return inputs.map { $0 * 10 }
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for input in 0..<200 { group.addTask { (input, try await grouped.run(input)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 200 && answers.allSatisfy { $0.value == $0.key * 10 }, "each caller gets the answer to its own input")
        let seen = batches.withLockedValue { $0 }
        #expect(seen.flatMap { $0 }.sorted() == Array(0..<200), "every input ran once")
        #expect(seen.count < 20, "\(seen.count) statements for 200 callers")
    }

    @Test func aFailedBatchFailsEveryCallerInItAndTheNextBatchRunsAgain() async throws {
        struct Refused: Error {}
        let calls = NIOLockedValueBox(0)
        let writes = GroupedWrites<String>(flush: { _ in
            let call = calls.withLockedValue { $0 += 1; return $0 }
            if call == 1 { throw Refused() }
        })
        await #expect(throws: Refused.self) { try await writes.write("first") }
        try await writes.write("second")
        #expect(calls.withLockedValue { $0 } == 2)
    }
}
