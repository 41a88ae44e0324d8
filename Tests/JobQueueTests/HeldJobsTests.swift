import Testing

@testable import JobQueue

/// The lease bookkeeping's decisions, at exact instants.
struct HeldJobsTests {
    static let start = ContinuousClock.now
    static func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int64(seconds * 1000)) }

    /// A run that ends only when cancelled.
    static func run() -> Task<Void, any Error> {
        Task { try await Task.sleep(nanoseconds: 60_000_000_000) }
    }

    @Test func aJobIsStoppedOnceItsLeaseIsNoLongerSafeAndNotBefore() async {
        let held = HeldJobs(safeLease: .seconds(4))
        held.claimed([1, 2], sent: Self.at(0))
        let run = Self.run()
        #expect(held.attach(1, run: run))
        #expect(held.stopUnsafe(at: Self.at(3.999)) == 0)
        #expect(held.mayStart(2, at: Self.at(3.999)))
        #expect(held.stopUnsafe(at: Self.at(4)) == 2, "the running job and the one still waiting")
        #expect(held.stopReason(1) == .leaseUnrenewable && held.stopReason(2) == .leaseUnrenewable)
        #expect(!held.mayStart(2, at: Self.at(4)))
        #expect(await run.result.isCancelled)
    }

    @Test func aRenewalCountsFromWhenItWasSentAndNeverShortensALease() {
        let held = HeldJobs(safeLease: .seconds(4))
        held.claimed([1], sent: Self.at(0))
        #expect(held.renewed([1], of: [1], sent: Self.at(3)).isEmpty)
        #expect(held.stopUnsafe(at: Self.at(6.999)) == 0)
        #expect(held.renewed([1], of: [1], sent: Self.at(1)).isEmpty, "a late answer to an older renewal")
        #expect(held.stopUnsafe(at: Self.at(6.999)) == 0)
        #expect(held.stopUnsafe(at: Self.at(7)) == 1)
    }

    @Test func aJobAnotherWorkerHoldsIsStoppedAtOnceAndForgottenWhenNotRunning() async {
        let held = HeldJobs(safeLease: .seconds(4))
        held.claimed([1, 2], sent: Self.at(0))
        let run = Self.run()
        #expect(held.attach(1, run: run))
        #expect(held.renewed([], of: [1, 2], sent: Self.at(1)).sorted() == [1, 2])
        #expect(held.stopReason(1) == .leaseLost, "kept until its run ends, to tell it why")
        #expect(!held.ids.contains(2), "a waiting job is forgotten")
        #expect(await run.result.isCancelled)
    }

    @Test func theFirstReasonToStopStands() async {
        let held = HeldJobs(safeLease: .seconds(4))
        held.claimed([1], sent: Self.at(0))
        let run = Self.run()
        #expect(held.attach(1, run: run))
        held.stop(1, .timedOut)
        held.stop(1, .shutdown)
        #expect(held.stopReason(1) == .timedOut)
        #expect(!held.attach(1, run: Self.run()), "a stopped job does not start again")
        _ = await run.result
    }
}

private extension Result where Failure == any Error {
    var isCancelled: Bool {
        if case .failure(let error) = self { return error is CancellationError }
        return false
    }
}
