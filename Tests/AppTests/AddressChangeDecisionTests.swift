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

    @Test func replacingAVerifiedAddressNoticesTheOldOneAndTheSameOneAgainChangesNothing() {
        let verified = Self.account("Old@Example.com", verified: true, lastMailSecondsAgo: 3600)
        #expect(Self.decide(verified, "new@example.com") == .change(noticeTo: "Old@Example.com"))
        #expect(Self.decide(verified, "old@example.com") == .unchanged, "the verified address again, in any case")
        #expect(Self.decide(Self.account("old@example.com", verified: false, lastMailSecondsAgo: 3600), "new@example.com") == .change(noticeTo: nil))
        #expect(Self.decide(Self.account("old@example.com", verified: false, lastMailSecondsAgo: 3600), "old@example.com") == .change(noticeTo: nil),
                "an unverified address again is mailed again")
    }

    @Test func everyMoveAwayFromTheLastVerifiedAddressNoticesItWhateverTheCurrentOnesState() {
        var current = Self.account("b@example.com", verified: false, lastMailSecondsAgo: 3600)
        current.lastVerifiedEmail = "a@example.com"
        #expect(Self.decide(current, "c@example.com") == .change(noticeTo: "a@example.com"), "B unverified to C still tells A")
        #expect(Self.decide(current, "b@example.com") == .change(noticeTo: nil), "mailing B again is not a move")
        #expect(Self.decide(current, "A@example.com") == .change(noticeTo: nil), "back to A: nothing to tell A")
    }

    @Test func afterAnUndoAChangeNeedsThePasswordUntilTheTimeIsUp() {
        var current = Self.account("a@example.com", verified: true, lastMailSecondsAgo: 3600)
        current.passwordRequiredUntil = Int64(Self.now.timeIntervalSince1970) + 10
        #expect(Self.decide(current, "b@example.com") == .passwordRequired)
        #expect(AddressChangeDecision.decide(current: current, newEmail: "b@example.com", now: Self.now, resendInterval: 60,
                                             passwordConfirmed: true) == .change(noticeTo: "a@example.com"))
        #expect(Self.decide(current, "a@example.com") == .unchanged)
        current.passwordRequiredUntil = Int64(Self.now.timeIntervalSince1970)
        #expect(Self.decide(current, "b@example.com") == .change(noticeTo: "a@example.com"))
    }
}
