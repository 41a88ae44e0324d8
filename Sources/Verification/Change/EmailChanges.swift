import Foundation
import JobQueue
import SQLKit

/// `PUT /email/` below HTTP: refuses an address whose mail hard-bounced within `SUPPRESS_DAYS`, else stores the
/// address unverified with its mails (`AddressChange`), wakes this process's workers and counts the change.
package struct EmailChanges: Sendable {
    let accounts: any AccountTable.Type
    let suppressions: Suppressions
    let jobs: JobQueue
    let recipients: RecipientLimit
    let deliveries: DeliveryLog
    let metrics: ServiceMetrics
    /// Seconds between verification mails; 0 turns the throttle off.
    let resendInterval: Int64
    let clock: @Sendable () -> Date

    package enum Outcome {
        case changed(AddressChange.Outcome)
        case suppressed(Suppressions.Entry)
    }

    package init(accounts: any AccountTable.Type, suppressions: Suppressions, jobs: JobQueue, recipients: RecipientLimit,
                 deliveries: DeliveryLog, metrics: ServiceMetrics, resendInterval: Int64, clock: @escaping @Sendable () -> Date) {
        self.accounts = accounts
        self.suppressions = suppressions
        self.jobs = jobs
        self.recipients = recipients
        self.deliveries = deliveries
        self.metrics = metrics
        self.resendInterval = resendInterval
        self.clock = clock
    }

    /// `passwordConfirmed`: the request carried the account's password (needed for a while after an undo).
    package func change(userID: Int64, to email: String, language: MailLanguage, passwordConfirmed: Bool = false,
                        on database: any SQLDatabase) async throws -> Outcome {
        if let bounce = try await suppressions.active(address: email, at: clock(), on: database) {
            return .suppressed(bounce)
        }
        var write = AddressChangeWrite(userID: userID, email: email, now: clock(), resendInterval: resendInterval, language: language,
                                       jobs: jobs, recipients: recipients, deliveries: deliveries)
        write.passwordConfirmed = passwordConfirmed
        let change = AddressChange(write: write)
        let outcome = try await change.apply(in: AddressStores.store(on: database, accounts: accounts))
        if case .changed = outcome {
            jobs.announce()
            metrics.funnel("queued")
        }
        return .changed(outcome)
    }
}
