import SQLKit
import Vapor
import Verification

/// `meiduo suppressions list|remove ADDRESS`.
struct SuppressionsCommand: AsyncCommandGroup {
    let services: AppServices

    var help: String { "Addresses not mailed after a hard bounce (SUPPRESS_DAYS). Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`)." }

    var commands: [String: any AnyAsyncCommand] { ["list": List(services: services), "remove": Remove(services: services)] }

    struct List: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {}
        var help: String { "Lists the addresses suppressed now, most recent bounce first." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let database = try await services.migrated(context.application.db.sql)
            let entries = try await services.suppressions.list(at: services.clock(), on: database)
            for entry in entries {
                context.console.print("\(entry.address)  bounced \(MailCommand.Status.timestamp(entry.date))  \(entry.status)  mail #\(entry.job_id)  \(entry.detail)")
            }
            if entries.isEmpty { context.console.print("no address is suppressed") }
        }
    }

    struct Remove: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {
            @Argument(name: "address", help: "The address to mail again.")
            var address: String
        }

        var help: String { "Lifts ADDRESS's suppression: it can be mailed again." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let database = try await services.migrated(context.application.db.sql)
            guard try await services.suppressions.remove(address: signature.address, on: database) else {
                throw UsageError("\(signature.address.lowercased()) is not suppressed")
            }
            context.console.print("lifted: \(signature.address.lowercased()) can be mailed again")
        }
    }
}
