import NIOConcurrencyHelpers
import Testing

@testable import JobQueue

/// The NOTIFY after an enqueue: never more than one in flight, and whatever was committed meanwhile announced by
/// exactly one more.
struct JobAnnouncerTests {
    @Test func announcementsDuringANotifyAreCoalescedIntoOneMore() async throws {
        let announcer = JobAnnouncer()
        let sent = NIOLockedValueBox(0)
        let inFlight = NIOLockedValueBox(0)
        let maximumInFlight = NIOLockedValueBox(0)
        let notify: @Sendable () async throws -> Void = {
            let now = inFlight.withLockedValue { $0 += 1; return $0 }
            maximumInFlight.withLockedValue { $0 = max($0, now) }
            try await Task.sleep(nanoseconds: 50_000_000)
            inFlight.withLockedValue { $0 -= 1 }
            sent.withLockedValue { $0 += 1 }
        }
        announcer.announce(notify)
        try await Task.sleep(nanoseconds: 10_000_000)
        for _ in 0..<100 { announcer.announce(notify) }   // all while the first is in flight
        try await Self.waitUntil { sent.withLockedValue { $0 } >= 2 }
        try await Task.sleep(nanoseconds: 200_000_000)      // room for a third, which must not come
        #expect(sent.withLockedValue { $0 } == 2, "the first, and one for everything committed while it was sent")
        #expect(maximumInFlight.withLockedValue { $0 } == 1)
        announcer.announce(notify)
        try await Self.waitUntil { sent.withLockedValue { $0 } >= 3 }
        #expect(sent.withLockedValue { $0 } == 3, "an announcement after the quiet goes at once")
    }

    private static func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(nanoseconds: 10_000_000) }
    }
}
