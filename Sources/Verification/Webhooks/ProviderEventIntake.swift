import Foundation
import Logging
import ProviderEvents
import SQLKit

/// What the providers' webhooks do with an event they verified: store it raw, once, and apply it to the one mail it
/// names — matched by our Message-ID (`PREFIX.JOB.ENQUEUEDAT@` the sender's domain) and its recipient — as a report
/// to `meiduo bounces` is: a permanent bounce → `bounced` and suppressed, a temporary one → `deferred`, a delivery
/// → `delivered`, a complaint → `complained` and suppressed until lifted. An event that matches no mail is stored and
/// logged, never applied to an address.
package struct ProviderEventIntake: Sendable {
    package let events: ProviderEventLog
    package let deliveries: DeliveryLog
    package let suppressions: Suppressions
    /// The domain of our Message-IDs (`EMAIL_FROM`'s).
    package let messageIDDomain: String
    package let metrics: ServiceMetrics
    package let clock: @Sendable () -> Date

    package enum Result: String, Sendable {
        case applied, duplicate, unmatched, ignored
    }

    /// A provider's token (Mailgun's) seen before: the callback is a replay.
    package struct ReplayedToken: Error {}

    /// Stores and applies one callback's events, and takes its signed `token` if it has one, in one transaction: a
    /// failure leaves nothing, and the provider's retry finds them new. Throws `ReplayedToken` for a token taken
    /// before.
    package func take(_ callback: [ProviderEvent], token: String? = nil, provider: ProviderEvent.Provider, on database: any SQLDatabase,
                      logger: Logger) async throws -> [Result] {
        let results = try await database.writeTransaction { database in
            if let token, try await !events.takeToken(token, provider: provider, at: clock(), on: database) {
                throw ReplayedToken()
            }
            var results: [Result] = []
            for event in callback { results.append(try await take(event, in: database, logger: logger)) }
            return results
        }
        for result in results { metrics.providerEvent(provider: provider.rawValue, outcome: result.rawValue) }
        return results
    }

    private func take(_ event: ProviderEvent, in database: any SQLDatabase, logger: Logger) async throws -> Result {
        let metadata: Logger.Metadata = ["provider": "\(event.provider.rawValue)", "event": "\(event.name)", "event_id": "\(event.eventID)"]
        let mail = try await matchingMail(event, on: database)
        let state = Self.state(of: event.kind)
        let outcome: ProviderEventLog.Outcome = mail == nil ? .unmatched : (state == nil ? .ignored : .applied)
        guard try await events.store(event, jobID: mail?.job_id, outcome: outcome, at: clock(), on: database) else {
            logger.info("provider event already taken", metadata: metadata)
            return .duplicate
        }
        guard let mail else {
            logger.warning("provider event matches no mail of this service; kept, not applied",
                           metadata: metadata.merging(["message_id": "\(event.messageID ?? "-")"]) { $1 })
            return .unmatched
        }
        guard let state else { return .ignored }
        try await apply(event, state: state, to: mail, on: database)
        logger.info("provider event applied", metadata: metadata.merging(["job": "\(mail.job_id)", "state": "\(state.rawValue)"]) { $1 })
        return .applied
    }

    private func apply(_ event: ProviderEvent, state: DeliveryState, to mail: DeliveryLog.Entry, on database: any SQLDatabase) async throws {
        let detail = switch state {
        case .bounced: DeliveryWording.refused(status: event.status ?? "5.0.0")
        case .deferred: DeliveryWording.delayed(status: event.status, nextTryBy: nil)
        case .complained: DeliveryWording.complained
        default: DeliveryWording.delivered
        }
        let operatorDetail = "\(event.provider.rawValue): \(event.name) \(event.status ?? "") \(event.diagnostic)"
        try await deliveries.record(DeliveryStep(jobID: mail.job_id, address: mail.address, kind: mail.kind, state: state, detail: detail,
                                                 operatorDetail: operatorDetail), on: database)
        switch state {
        case .bounced:
            try await suppressions.suppress(address: mail.address, status: event.status ?? "5.0.0", detail: detail, jobID: mail.job_id,
                                            at: clock(), on: database)
        case .complained:
            try await suppressions.suppress(address: mail.address, status: "complaint", detail: detail, jobID: mail.job_id,
                                            cause: .complaint, at: clock(), on: database)
        default: break
        }
    }

    static func state(of kind: ProviderEvent.Kind) -> DeliveryState? {
        switch kind {
        case .permanentBounce: .bounced
        case .temporaryBounce: .deferred
        case .delivered: .delivered
        case .complained: .complained
        case .other: nil
        }
    }

    /// The mail the event's Message-ID names, when it went to the event's recipient.
    private func matchingMail(_ event: ProviderEvent, on database: any SQLDatabase) async throws -> DeliveryLog.Entry? {
        guard let messageID = event.messageID, let jobID = Self.jobID(inMessageID: messageID, domain: messageIDDomain),
              let mail = try await deliveries.mail(jobID: jobID, on: database),
              mail.address == event.recipient.lowercased() else { return nil }
        return mail
    }

    /// `PREFIX.JOB.ENQUEUEDAT@domain` → JOB.
    static func jobID(inMessageID messageID: String, domain: String) -> Int64? {
        let parts = messageID.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, parts[1].lowercased() == domain.lowercased() else { return nil }
        let fields = parts[0].split(separator: ".")
        guard fields.count == 3 else { return nil }
        return Int64(fields[1])
    }

    package init(events: ProviderEventLog, deliveries: DeliveryLog, suppressions: Suppressions, messageIDDomain: String,
                 metrics: ServiceMetrics, clock: @escaping @Sendable () -> Date) {
        self.events = events
        self.deliveries = deliveries
        self.suppressions = suppressions
        self.messageIDDomain = messageIDDomain
        self.metrics = metrics
        self.clock = clock
    }
}
