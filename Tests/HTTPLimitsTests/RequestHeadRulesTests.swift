import HTTPTypes
import NIOCore
import Testing

@testable import HTTPLimits

/// What a request head must be, and the second timer a client that stops reading runs into.
struct RequestHeadRulesTests {
    static func request(authority: String? = "a", _ fields: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .post, scheme: "http", authority: authority, path: "/users/", headerFields: fields)
    }

    @Test func exactlyOneHostIsNeeded() {
        #expect(RequestHeadRules.verdict(Self.request(), maximumBodySize: 100) == .forward)
        #expect(RequestHeadRules.verdict(Self.request(authority: nil), maximumBodySize: 100) == .refuse(.badRequest))
        #expect(RequestHeadRules.verdict(Self.request([RequestHeadRules.host: "b"]), maximumBodySize: 100)
                == .refuse(.badRequest), "a second Host stays among the fields")
    }

    @Test func aDeclaredLengthOverTheLimitIs413AndExpectationsAreAnswered() {
        #expect(RequestHeadRules.verdict(Self.request([.contentLength: "101"]), maximumBodySize: 100) == .refuse(.contentTooLarge))
        #expect(RequestHeadRules.verdict(Self.request([.contentLength: "100"]), maximumBodySize: 100) == .forward)
        #expect(RequestHeadRules.verdict(Self.request([.contentLength: "100", .expect: "100-Continue"]), maximumBodySize: 100) == .continueThenForward)
        #expect(RequestHeadRules.verdict(Self.request([.contentLength: "101", .expect: "100-continue"]), maximumBodySize: 100) == .refuse(.contentTooLarge))
        #expect(RequestHeadRules.verdict(Self.request([.expect: "something-else"]), maximumBodySize: 100) == .refuse(.expectationFailed))
    }

    @Test func theSendTimerRunsOnlyWhileTheConnectionCannotBeWrittenTo() {
        let deadlines = ConnectionDeadlines(requestTimeout: .seconds(10), keepAliveTimeout: .seconds(30), sendTimeout: .seconds(5))
        #expect(deadlines.writabilityChanged(isWritable: false) == .arm(.seconds(5)))
        #expect(deadlines.writabilityChanged(isWritable: true) == .disarm)
        let without = ConnectionDeadlines(requestTimeout: .seconds(10), keepAliveTimeout: .seconds(30))
        #expect(without.writabilityChanged(isWritable: false) == .none)
    }
}
