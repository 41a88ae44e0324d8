import Foundation
import Logging
import MeiduoTokens
import SQLKit

/// A confirmed address made active — by the page's button, a code or the seed's GET — then counted and written to
/// the delivery log under the mail it was last sent in. The same two statements on every database and accounts
/// table: the read of the account's flag and the conditional update.
package struct AddressActivation: Sendable {
    package let accounts: any AccountTable.Type
    package let deliveries: DeliveryLog
    package let metrics: ServiceMetrics
    package let clock: @Sendable () -> Date

    package init(accounts: any AccountTable.Type, deliveries: DeliveryLog, metrics: ServiceMetrics, clock: @escaping @Sendable () -> Date) {
        self.accounts = accounts
        self.deliveries = deliveries
        self.metrics = metrics
        self.clock = clock
    }

    package init(settings: Settings, metrics: ServiceMetrics, clock: @escaping @Sendable () -> Date) {
        let accounts = settings.accounts.table
        self.init(accounts: accounts, deliveries: DeliveryLog(table: accounts.tables.deliveries, clock: clock, metrics: metrics),
                  metrics: metrics, clock: clock)
    }

    /// The account's `email_active` while it still holds the claims' address; nil when it does not (or is gone).
    /// Reads only.
    package func isActive(_ claims: EmailVerificationClaims, on database: any SQLDatabase) async throws -> Bool? {
        try await AccountAddress.isActive(userID: claims.userID, email: claims.email, in: accounts, on: database)
    }

    package func activate(_ claims: EmailVerificationClaims, method: String, on database: any SQLDatabase,
                          logger: Logger) async throws -> AccountAddress.Activation {
        let activation = try await AccountAddress.activate(userID: claims.userID, email: claims.email, at: clock(), in: accounts, on: database)
        if activation == .activated {
            metrics.funnel("verified")
            metrics.confirmation(method: method)
            await recordVerified(claims.email, method: method, on: database, logger: logger)
        }
        return activation
    }

    /// A failure is logged, not answered: the address is verified either way.
    private func recordVerified(_ address: String, method: String, on database: any SQLDatabase, logger: Logger) async {
        do {
            let latest = try await deliveries.latest(address: address, on: database)
            try await deliveries.record(DeliveryStep(jobID: latest?.job_id ?? 0, address: address, kind: latest?.kind ?? SendVerifyEmailJob.kind,
                                                     state: .verified, detail: DeliveryWording.verified,
                                                     operatorDetail: DeliveryWording.confirmedByPrefix + method), on: database)
        } catch {
            logger.error("recording the verification in the delivery log failed", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
        }
    }
}
