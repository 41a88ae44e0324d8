import ArgumentParser

/// `meiduo`: the commands, `serve` when none is named.
package struct MeiduoCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "meiduo",
        abstract: "Email verification for the Meiduo shop: the HTTP API, the mail workers and the operators' commands.",
        subcommands: [ServeCommand.self, WorkerCommand.self, MigrateCommand.self, JobsCommand.self, MailCommand.self,
                      SuppressionsCommand.self, BouncesCommand.self, StaffCommand.self, SendTestMailCommand.self, SettingsCommand.self],
        defaultSubcommand: ServeCommand.self)

    package init() {}
}
