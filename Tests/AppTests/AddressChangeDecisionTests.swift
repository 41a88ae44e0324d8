import Foundation
import Testing

@testable import API
@testable import App
@testable import Verification

/// The decision behind `PUT /email/`, without a database.
struct AddressChangeDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func account(_ email: String, verified: Bool, lastMailSecondsAgo: Double?) -> AccountAddress.Current {
        AccountAddress.Current(username: "someone", email: email, emailActive: verified,
                               verificationQueuedAt: lastMailSecondsAgo.map { now.addingTimeInterval(-$0) })
    }

    static func decide(_ current: AccountAddress.Current, _ email: String, interval: Int64 = 60) -> AddressChangeDecision {
        AddressChangeDecision.decide(current: current, newEmail: email, now: now, resendInterval: interval)
    }

    @Test func aFirstAddressIsChangedWithoutANotice() {
        #expect(Self.decide(Self.account("", verified: false, lastMailSecondsAgo: nil), "a@example.com") == .change(noticeTo: nil))
    }

    @Test func withinTheIntervalItIsThrottledForTheSecondsLeftRoundedUp() {
        let current = Self.account("a@example.com", verified: false, lastMailSecondsAgo: 45.5)
        #expect(Self.decide(current, "b@example.com") == .throttled(retryAfter: 15))
        #expect(Self.decide(Self.account("a@example.com", verified: false, lastMailSecondsAgo: 59.99), "b@example.com") == .throttled(retryAfter: 1))
        #expect(Self.decide(Self.account("a@example.com", verified: false, lastMailSecondsAgo: 60), "b@example.com") == .change(noticeTo: nil))
    }

    @Test func anIntervalOfZeroThrottlesNothingEvenAMailStampedAfterNow() {
        #expect(Self.decide(Self.account("a@example.com", verified: false, lastMailSecondsAgo: -5), "b@example.com", interval: 0) == .change(noticeTo: nil))
    }

    @Test func replacingAVerifiedAddressNoticesTheOldOneButNotForACaseChange() {
        let verified = Self.account("Old@Example.com", verified: true, lastMailSecondsAgo: 3600)
        #expect(Self.decide(verified, "new@example.com") == .change(noticeTo: "Old@Example.com"))
        #expect(Self.decide(verified, "old@example.com") == .change(noticeTo: nil))
        #expect(Self.decide(Self.account("old@example.com", verified: false, lastMailSecondsAgo: 3600), "new@example.com") == .change(noticeTo: nil))
    }
}
