import ArgumentParser
import SQLKit
import Verification

/// `meiduo suppressions list|remove ADDRESS`.
struct SuppressionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppressions",
        abstract: "Addresses not mailed after a hard bounce (SUPPRESS_DAYS).",
        discussion: "Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`).",
        subcommands: [List.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the addresses suppressed now (bounced, or complained until lifted), most recent first.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            try await Runtime.run(options) { runtime in
                let services = runtime.services
                let entries = try await services.suppressions.list(at: services.clock(), on: try await runtime.migratedDatabase())
                for entry in entries {
                    print("\(entry.address)  \(entry.isComplaint ? "complained" : "bounced") \(MailCommand.Status.timestamp(entry.date))  \(entry.status)  mail #\(entry.job_id)  \(entry.detail)")
                }
                if entries.isEmpty { print("no address is suppressed") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lifts ADDRESS's suppression: it can be mailed again.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The address to mail again.")
        var address: String

        func run() async throws {
            try await Runtime.run(options) { runtime in
                let address = EmailAddress.canonical(address) ?? address
                guard try await runtime.services.suppressions.remove(address: address, on: try await runtime.migratedDatabase()) else {
                    throw UsageError("\(address.lowercased()) is not suppressed")
                }
                print("lifted: \(address.lowercased()) can be mailed again")
            }
        }
    }
}
