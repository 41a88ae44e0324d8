import SQLKit
import Vapor
import Verification

/// `meiduo mail status ADDRESS`: every mail to an address, each step with the operator's detail, and whether the
/// address is suppressed.
struct MailCommand: AsyncCommandGroup {
    let services: AppServices

    var help: String { "What happened to the mail sent to an address. Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`)." }

    var commands: [String: any AnyAsyncCommand] { ["status": Status(services: services)] }

    struct Status: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {
            @Argument(name: "address", help: "The recipient's address.")
            var address: String
        }

        var help: String { "Lists every mail to ADDRESS, oldest first, with each of its steps, and the address's suppression." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let database = try await services.migrated(context.application.db.sql)
            let steps = try await services.deliveries.history(address: signature.address, on: database)
            let reports = BounceReports(table: services.tables.bounceReports)
            var lines: [String] = []
            for jobID in steps.map(\.job_id).uniqued() {
                let mail = steps.filter { $0.job_id == jobID }
                lines.append("mail #\(jobID) \(mail[0].kind)")
                for step in mail {
                    var line = "  \(Self.timestamp(step.date))  \(step.state.padding(toLength: 9, withPad: " ", startingAt: 0))  \(step.detail)"
                    if !step.operator_detail.isEmpty { line += "\n  \(String(repeating: " ", count: 33))\(step.operator_detail)" }
                    lines.append(line)
                }
                for report in try await reports.reports(jobID: jobID, on: database) {
                    lines.append("  bounce report #\(report.id) received \(Self.timestamp(Date(timeIntervalSince1970: Double(report.received_at)))): \(report.outcome), \(report.size) octets")
                }
            }
            if lines.isEmpty { lines.append("no mail recorded to \(signature.address.lowercased())") }
            if let bounce = try await services.suppressions.active(address: signature.address, at: services.clock(), on: database) {
                lines.append("suppressed since \(Self.timestamp(bounce.date)) (\(bounce.status), mail #\(bounce.job_id)); lift with: meiduo suppressions remove \(bounce.address)")
            } else {
                lines.append("not suppressed")
            }
            lines.forEach { context.console.print($0) }
        }

        static func timestamp(_ date: Date) -> String {
            date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        }
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
