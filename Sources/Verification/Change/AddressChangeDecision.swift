import Foundation

/// What `PUT /email/` does, decided from what the account holds when it is read — no storage, no clock of its own.
package enum AddressChangeDecision: Equatable {
    /// The last verification mail went out less than the resend interval ago.
    case throttled(retryAfter: Int)
    /// Store the new address unverified, mail it a verification, and — when a verified address is replaced by a
    /// different one — tell the old address (`noticeTo`).
    case change(noticeTo: String?)

    package static func decide(current: AccountAddress.Current, newEmail: String, now: Date, resendInterval: Int64) -> Self {
        if let last = current.verificationQueuedAt, last > cutoff(now: now, resendInterval: resendInterval) {
            let wait = Double(resendInterval) - now.timeIntervalSince(last)
            return .throttled(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        let replacesVerified = current.emailActive && current.email.lowercased() != newEmail.lowercased()
        return .change(noticeTo: replacesVerified ? current.email : nil)
    }

    /// A change may go through when the last mail was queued no later than this; an interval of 0 throttles
    /// nothing, also against a racing change that stamped the account a moment after this one read the clock.
    package static func cutoff(now: Date, resendInterval: Int64) -> Date {
        resendInterval > 0 ? now.addingTimeInterval(-Double(resendInterval)) : .distantFuture
    }
}
