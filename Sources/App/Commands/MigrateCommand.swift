import ArgumentParser
import Verification

/// `meiduo migrate [--yes] [--revert]`: creates (or, with `--revert`, drops) the service's tables with FluentKit's
/// migrator, asking first unless `--yes`. A migration already run is never run again.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Prepares the migrations the database has not had, or reverts the last batch.")

    @OptionGroup var options: CommonOptions
    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false
    @Flag(name: .customLong("revert"), help: "Revert the last batch of migrations instead.")
    var revert = false

    func run() async throws {
        try await Runtime.run(options, migrates: true) { runtime in
            let migrations = SchemaMigrations(databases: runtime.databases, accounts: runtime.settings.accounts, logger: runtime.logger)
            print("Migrate Command: \(revert ? "Revert" : "Prepare")")
            let names = revert ? try await migrations.lastBatch() : try await migrations.pending()
            guard !names.isEmpty else { return print(revert ? "No migrations to revert." : "No new migrations.") }
            print("The following migration(s) will be \(revert ? "reverted" : "prepared"):")
            for name in names { print("\(revert ? "-" : "+") \(name) on <default>") }
            guard yes || confirmed() else { return print("Migration cancelled") }
            if revert { try await migrations.revertLastBatch() } else { try await migrations.prepare() }
            print("Migration successful")
        }
    }

    private func confirmed() -> Bool {
        print("Would you like to continue?\ny/n> ", terminator: "")
        return readLine()?.lowercased().hasPrefix("y") == true
    }
}
