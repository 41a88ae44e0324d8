import Foundation

/// What `PUT /email/` does, decided from what the account holds when it is read — no storage, no clock of its own.
package enum AddressChangeDecision: Equatable {
    /// The account's verified address again: nothing to store, nothing to mail.
    case unchanged
    /// An undo ended the account's sessions lately: a change needs the password until `REVERT_TTL` has passed.
    case passwordRequired
    /// The last verification mail went out less than the resend interval ago.
    case throttled(retryAfter: Int)
    /// Store the new address unverified, mail it a verification, and — on any move away from the last verified
    /// address, whether or not the current one is verified — tell that address (`noticeTo`), with its undo link.
    case change(noticeTo: String?)

    package static func decide(current: AccountAddress.Current, newEmail: String, now: Date, resendInterval: Int64,
                               passwordConfirmed: Bool = false) -> Self {
        let again = current.email.lowercased() == newEmail.lowercased()
        if again && current.emailActive { return .unchanged }
        if let until = current.passwordRequiredUntil, Int64(now.timeIntervalSince1970) < until, !passwordConfirmed {
            return .passwordRequired
        }
        if let last = current.verificationQueuedAt, last > cutoff(now: now, resendInterval: resendInterval) {
            let wait = Double(resendInterval) - now.timeIntervalSince(last)
            return .throttled(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        // Mailing the current, unverified address again is not a move: no notice.
        guard !again, let lastVerified = current.lastVerified, lastVerified.lowercased() != newEmail.lowercased() else {
            return .change(noticeTo: nil)
        }
        return .change(noticeTo: lastVerified)
    }

    /// A change may go through when the last mail was queued no later than this; an interval of 0 throttles
    /// nothing, also against a racing change that stamped the account a moment after this one read the clock.
    package static func cutoff(now: Date, resendInterval: Int64) -> Date {
        resendInterval > 0 ? now.addingTimeInterval(-Double(resendInterval)) : .distantFuture
    }
}
