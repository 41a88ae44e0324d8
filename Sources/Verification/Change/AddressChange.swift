import Foundation

/// `PUT /email/`'s write: the new address, unverified, and the mails it queues — the verification mail, and a
/// notice to the last verified address on any move away from it — all or nothing. The decision is
/// `AddressChangeDecision`'s; the store reads the account, and writes only if the account still holds what was
/// read; when another request changed it in between, the change reads and decides again.
package struct AddressChange {
    package enum Outcome {
        case changed
        /// The account's verified address again: nothing stored, nothing mailed.
        case unchanged
        /// After an undo, a change needs the account's password for a while.
        case passwordRequired
        case throttled(retryAfter: Int)
        /// The address itself has had its share of mail (`RecipientLimit`), whichever accounts asked.
        case recipientThrottled(retryAfter: Int)
        case noSuchUser
        /// Other changes of the same account won every attempt.
        case contended
    }

    /// Each failed attempt means another change of the account succeeded, so this bounds only pathological racing.
    package static let maximumAttempts = 100

    /// The change asked for: who, which address, when, and what it may queue.
    package let write: AddressChangeWrite

    package func apply(in store: any AddressStore) async throws -> Outcome {
        for _ in 0..<Self.maximumAttempts {
            if let outcome = try await store.attemptChange(write) { return outcome }
        }
        return .contended
    }

    package init(write: AddressChangeWrite) {
        self.write = write
    }
}
