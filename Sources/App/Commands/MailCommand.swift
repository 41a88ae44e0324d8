import ArgumentParser
import Foundation
import SQLKit
import Verification

/// `meiduo mail status ADDRESS`: every mail to an address, each step with the operator's detail, and whether the
/// address is suppressed.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "What happened to the mail sent to an address.",
        discussion: "Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`).",
        subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists every mail to ADDRESS, oldest first, with each of its steps, and the address's suppression.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The recipient's address.")
        var address: String

        func run() async throws {
            try await Runtime.run(options) { runtime in try await report(runtime) }
        }

        private func report(_ runtime: Runtime) async throws {
            let services = runtime.services
            let database = try await runtime.migratedDatabase()
            let address = EmailAddress.canonical(address) ?? address
            let (mails, suppression) = try await services.addressHistory.of(address: address, at: services.clock(), on: database)
            var lines: [String] = []
            for mail in mails {
                lines.append("mail #\(mail.jobID) \(mail.kind)")
                for step in mail.steps {
                    var line = "  \(Self.timestamp(step.date))  \(step.state.padding(toLength: 9, withPad: " ", startingAt: 0))  \(step.detail)"
                    if !step.operator_detail.isEmpty { line += "\n  \(String(repeating: " ", count: 33))\(step.operator_detail)" }
                    lines.append(line)
                }
                for report in mail.reports.map(\.summary) {
                    lines.append("  bounce report #\(report.id) received \(Self.timestamp(Date(timeIntervalSince1970: Double(report.received_at)))): \(report.outcome), \(report.size) octets")
                }
                for event in mail.events {
                    lines.append("  \(event.provider) event received \(Self.timestamp(event.date)): \(event.name), \(event.outcome)")
                    lines.append("    \(event.raw.replacingOccurrences(of: "\n", with: " "))")
                }
            }
            if lines.isEmpty { lines.append("no mail recorded to \(address.lowercased())") }
            if let bounce = suppression {
                let cause = bounce.isComplaint ? "a spam complaint, until lifted" : bounce.status
                lines.append("suppressed since \(Self.timestamp(bounce.date)) (\(cause), mail #\(bounce.job_id)); lift with: meiduo suppressions remove \(bounce.address)")
            } else {
                lines.append("not suppressed")
            }
            lines.forEach { print($0) }
        }

        static func timestamp(_ date: Date) -> String {
            date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon))
        }
    }
}
