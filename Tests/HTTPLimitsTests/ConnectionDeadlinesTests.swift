import NIOCore
import Testing

import HTTPLimits

/// A connection's deadlines as decisions: when the one timer is armed, for how long, and what is owed.
struct ConnectionDeadlinesTests {
    let request = TimeAmount.seconds(10)
    let keepAlive = TimeAmount.seconds(30)

    @Test func aRequestIsDueFromTheStartAndTheTimerStopsOnceItIsIn() {
        var deadlines = ConnectionDeadlines(requestTimeout: request, keepAliveTimeout: keepAlive)
        #expect(deadlines.connected() == .arm(request))
        #expect(deadlines.bytesArrived() == .none, "trickling bytes does not extend the deadline")
        #expect(deadlines.bytesArrived() == .none)
        #expect(deadlines.state == .receiving)
        #expect(deadlines.requestComplete() == .disarm)
        #expect(deadlines.state == .responding)
    }

    @Test func betweenRequestsTheKeepAliveTimeoutRunsUntilTheNextByte() {
        var deadlines = ConnectionDeadlines(requestTimeout: request, keepAliveTimeout: keepAlive)
        _ = deadlines.connected()
        _ = deadlines.requestComplete()
        #expect(deadlines.responseComplete() == .arm(keepAlive))
        #expect(deadlines.state == .idle)
        #expect(deadlines.bytesArrived() == .arm(request), "the next request is due from its first byte")
        #expect(deadlines.state == .receiving)
    }

    @Test func aPipelinedRequestThatStartedDuringTheResponseIsDueAtOnce() {
        var deadlines = ConnectionDeadlines(requestTimeout: request, keepAliveTimeout: keepAlive)
        _ = deadlines.connected()
        _ = deadlines.requestComplete()
        #expect(deadlines.bytesArrived() == .none)
        #expect(deadlines.responseComplete() == .arm(request))
        #expect(deadlines.state == .receiving)
        #expect(deadlines.responseComplete() == .none, "a second response end without a request changes nothing")
    }
}
