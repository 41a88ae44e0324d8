import ArgumentParser
import Verification

/// `meiduo staff add|remove USERNAME`: who may sign in to the operator's console (`serve --console-port`).
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Marks accounts as staff, who may sign in to the operator's console.",
        discussion: """
        With ACCOUNTS=django the shop's is_staff counts instead: set it in Django's admin. \
        Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`).
        """,
        subcommands: [Add.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lets USERNAME sign in to the console with its password.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The account's username.")
        var username: String

        func run() async throws {
            try await StaffCommand.set(true, username: username, options: options)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ends USERNAME's access to the console, its open sessions included.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The account's username.")
        var username: String

        func run() async throws {
            try await StaffCommand.set(false, username: username, options: options)
        }
    }

    static func set(_ staff: Bool, username: String, options: CommonOptions) async throws {
        try await Runtime.run(options) { runtime in
            guard runtime.settings.accounts == .own else {
                throw UsageError("with ACCOUNTS=django the shop's is_staff says who is staff: set it in Django's admin")
            }
            let database = try await runtime.migratedDatabase()
            guard try await runtime.services.staff.setStaff(staff, username: username, on: database) else {
                throw UsageError("no account is named \(username)")
            }
            print(staff ? "\(username) is staff: it may sign in to the console" : "\(username) is no longer staff")
        }
    }
}
