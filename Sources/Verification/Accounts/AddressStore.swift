import Foundation
import NIOConcurrencyHelpers
import JobQueue
import SQLKit

/// Where an address change reads the account and writes the change with its mails, all or nothing: one
/// implementation per database and accounts table.
package protocol AddressStore: Sendable {
    /// One read-decide-write round: `AddressChangeDecision` sees the account as read, and what it decides is
    /// written only if the account still holds that. Nil when another change got there first (decide again);
    /// `.noSuchUser` when the account is gone.
    func attemptChange(_ write: AddressChangeWrite) async throws -> AddressChange.Outcome?
}

/// What a change writes once decided: the new address and the mails for it.
package struct AddressChangeWrite: Sendable {
    package var userID: Int64
    package var email: String
    package var now: Date
    /// Seconds between verification mails; 0 turns the throttle off.
    package var resendInterval: Int64
    package var language: MailLanguage
    package var jobs: JobQueue
    package var recipients: RecipientLimit
    package var deliveries: DeliveryLog
    /// Whether the request carried the account's password, checked (needed for a while after an undo).
    package var passwordConfirmed = false
    /// Set once this change has counted against the address: a retry after a lost race does not count again.
    package let recipientCounted = NIOLockedValueBox(false)

    /// The mail names the account (read with the address), so that the address's owner knows whose request it is.
    package func verificationMail(username: String) -> SendVerifyEmailJob.Payload {
        .init(userID: userID, email: email, username: username, language: language)
    }
    /// Several changes before the mail goes out coalesce into one mail, to the latest address.
    package var verificationMailKey: String { "verify-email:\(userID)" }

    /// Changes before a notice goes out coalesce into one notice to that address, naming the latest address.
    package func noticeKey(_ notice: SendEmailChangedNoticeJob.Payload) -> String {
        "email-changed:\(userID):\(notice.oldEmail.lowercased())"
    }

    package func notice(to oldEmail: String?) -> SendEmailChangedNoticeJob.Payload? {
        oldEmail.map { SendEmailChangedNoticeJob.Payload(userID: userID, oldEmail: $0, newEmail: email, language: language) }
    }

    /// The delivery log's first step of a queued mail (job `jobID`, or the ids of a WITH query's rows).
    package func queued(_ kind: String, to address: String, jobID: Int64 = 0) -> DeliveryStep {
        DeliveryStep(jobID: jobID, address: address, kind: kind, state: .queued, detail: DeliveryWording.queued)
    }

    package var cutoff: Date { AddressChangeDecision.cutoff(now: now, resendInterval: resendInterval) }

    package init(userID: Int64, email: String, now: Date, resendInterval: Int64, language: MailLanguage, jobs: JobQueue, recipients: RecipientLimit, deliveries: DeliveryLog) {
        self.userID = userID
        self.email = email
        self.now = now
        self.resendInterval = resendInterval
        self.language = language
        self.jobs = jobs
        self.recipients = recipients
        self.deliveries = deliveries
    }
}

package enum AddressStores {
    /// The store for `database`'s dialect and the accounts table.
    package static func store(on database: any SQLDatabase, accounts: any AccountTable.Type) -> any AddressStore {
        if database.dialect.name == "postgresql", accounts == OwnAccounts.self { return PostgresAddressStore(database: database) }
        return TransactionalAddressStore(database: database, accounts: accounts)
    }
}

extension AddressStore {
    /// Reads the account and decides; for a change the account may make, counts it against the address unless
    /// the store counts in its write (`countsInWrite`). Returns the outcome when nothing is to be written, else what
    /// the write must find and the notice it queues.
    package func readAndDecide(_ write: AddressChangeWrite, in accounts: any AccountTable.Type,
                       on database: any SQLDatabase, countsInWrite: Bool = false) async throws -> ChangeRead {
        guard let current = try await AccountAddress.current(userID: write.userID, in: accounts, on: database) else {
            return .done(.noSuchUser)
        }
        switch AddressChangeDecision.decide(current: current, newEmail: write.email, now: write.now, resendInterval: write.resendInterval,
                                            passwordConfirmed: write.passwordConfirmed) {
        case .unchanged:
            return .done(.unchanged)
        case .passwordRequired:
            return .done(.passwordRequired)
        case .throttled(let seconds):
            return .done(.throttled(retryAfter: seconds))
        case .change(let noticeTo):
            // Only a change the account may make counts against the address, and only once.
            if !countsInWrite, !write.recipientCounted.withLockedValue({ $0 }) {
                if let seconds = try await write.recipients.reserve(write.email, for: write.userID, at: write.now, on: database) {
                    return .done(.recipientThrottled(retryAfter: seconds))
                }
                write.recipientCounted.withLockedValue { $0 = true }
            }
            return .write(seen: current, noticeTo: noticeTo)
        }
    }
}

/// A read's result: the outcome already, or what to write.
package enum ChangeRead {
    case done(AddressChange.Outcome)
    case write(seen: AccountAddress.Current, noticeTo: String?)
}
