import Bounces
import Foundation
import Logging
import SMTPClient
import SMTPServer
import SQLKit

/// What `meiduo bounces` does with mail: takes it only for a signed bounce address, keeps every report raw, and
/// applies what it says to the mail it names — `failed` makes the mail `bounced` (and a permanent status that
/// speaks of the address, `BounceClass`, suppresses it), `delayed` makes it `deferred`. A report that cannot be read is kept and logged.
package struct BounceReceiver: SMTPMailReceiver {
    package let addresses: BounceAddress
    package let reports: BounceReports
    package let deliveries: DeliveryLog
    package let suppressions: Suppressions
    package let database: any SQLDatabase
    package let metrics: ServiceMetrics
    package let clock: @Sendable () -> Date
    package let logger: Logger

    package func accepts(recipient: String) -> Bool {
        addresses.jobID(in: recipient) != nil
    }

    package func receive(_ message: SMTPServerSession.Message, client: String) async -> SMTPReply {
        let report: Result<DeliveryReport, UnreadableReport>
        do { report = .success(try DeliveryReport.read(message.data)) } catch { report = .failure(error) }
        let outcome = switch report {
        case .success(let report): [report.action.rawValue, report.status].compactMap { $0 }.joined(separator: " ")
        case .failure(let error): error.description
        }
        do {
            for recipient in message.recipients {
                let jobID = addresses.jobID(in: recipient)
                try await reports.store(recipient: recipient, jobID: jobID, outcome: outcome, raw: message.data, at: clock(), on: database)
                guard let jobID else { continue }
                switch report {
                case .success(let report):
                    try await apply(report, jobID: jobID)
                case .failure(let error):
                    logger.warning("bounce report kept but not understood", metadata: ["job": "\(jobID)", "reason": "\(error.reason)", "octets": "\(message.data.count)", "client": "\(client)"])
                }
            }
        } catch {
            logger.error("a bounce report could not be stored; the sender is told to try again", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
            return SMTPReply(code: 451, lines: ["4.3.0 The report cannot be stored now; try again later"])
        }
        metrics.bounceReport(outcome: (try? report.get().action.rawValue) ?? "unreadable")
        return SMTPReply(code: 250, lines: ["2.0.0 Report accepted"])
    }

    private func apply(_ report: DeliveryReport, jobID: Int64) async throws {
        guard let mail = try await deliveries.mail(jobID: jobID, on: database) else {
            logger.warning("bounce report for a mail this database has no record of", metadata: ["job": "\(jobID)"])
            return
        }
        let state: DeliveryState
        let detail: String
        switch report.action {
        case .failed:
            state = .bounced
            detail = DeliveryWording.refused(status: report.status)
        case .delayed:
            state = .deferred
            detail = DeliveryWording.delayed(status: report.status, nextTryBy: nil)
        case .delivered, .relayed, .expanded:
            logger.info("delivery report: no failure", metadata: ["job": "\(jobID)", "action": "\(report.action.rawValue)"])
            return
        }
        try await deliveries.record(DeliveryStep(jobID: jobID, address: mail.address, kind: mail.kind, state: state, detail: detail,
                                                 operatorDetail: "report: \(report.action.rawValue) \(report.status ?? "") \(report.diagnostic ?? "")"),
                                    on: database)
        if report.isHardBounce, let status = report.status {
            try await suppressions.suppress(address: mail.address, status: status, detail: detail, jobID: jobID, at: clock(), on: database)
        }
        logger.info("bounce report applied", metadata: ["job": "\(jobID)", "state": "\(state.rawValue)", "status": "\(report.status ?? "-")"])
    }

    package init(addresses: BounceAddress, reports: BounceReports, deliveries: DeliveryLog, suppressions: Suppressions, database: any SQLDatabase, metrics: ServiceMetrics, clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.addresses = addresses
        self.reports = reports
        self.deliveries = deliveries
        self.suppressions = suppressions
        self.database = database
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }
}
