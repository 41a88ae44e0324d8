import Foundation
import SQLKit

/// Everything recorded about the mail to one address: each mail's steps, the bounce reports and the provider events
/// about it, and whether the address is suppressed now. What `meiduo mail status` prints and the console's address
/// page shows.
package struct AddressHistory: Sendable {
    package let deliveries: DeliveryLog
    package let reports: BounceReports
    package let events: ProviderEventLog
    package let suppressions: Suppressions

    package init(deliveries: DeliveryLog, reports: BounceReports, events: ProviderEventLog, suppressions: Suppressions) {
        self.deliveries = deliveries
        self.reports = reports
        self.events = events
        self.suppressions = suppressions
    }

    package struct Report: Sendable {
        package var summary: BounceReports.Summary
        /// The report as received, up to `rawLimit` octets; empty unless asked for.
        package var raw: [UInt8]
    }

    package struct Mail: Sendable {
        package var jobID: Int64
        package var kind: String
        package var steps: [DeliveryLog.Entry]
        package var reports: [Report]
        package var events: [ProviderEventLog.Entry]
    }

    /// The mails oldest first, and the address's suppression now.
    package func of(address: String, at now: Date, rawLimit: Int = 0,
                    on database: any SQLDatabase) async throws -> (mails: [Mail], suppression: Suppressions.Entry?) {
        let steps = try await deliveries.history(address: address, on: database)
        var mails: [Mail] = []
        var seen = Set<Int64>()
        for step in steps where seen.insert(step.job_id).inserted {
            var reports: [Report] = []
            for summary in try await self.reports.reports(jobID: step.job_id, on: database) {
                let raw = rawLimit > 0 ? try await self.reports.raw(id: summary.id, limit: rawLimit, on: database) : []
                reports.append(Report(summary: summary, raw: raw))
            }
            mails.append(Mail(jobID: step.job_id, kind: step.kind, steps: steps.filter { $0.job_id == step.job_id }, reports: reports,
                              events: try await events.events(jobID: step.job_id, on: database)))
        }
        return (mails, try await suppressions.active(address: address, at: now, on: database))
    }
}
