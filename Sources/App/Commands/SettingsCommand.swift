import ArgumentParser
import Verification

/// `meiduo settings [--markdown]`: every environment variable the service reads, its default and its meaning.
/// Reads no setting and touches no database.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "settings",
                                                    abstract: "Lists every setting (environment variable) with its default and meaning.")

    @OptionGroup var options: CommonOptions
    @Flag(name: .customLong("markdown"), help: "Print the table as the README shows it.")
    var markdown = false

    func run() {
        if markdown {
            print(SettingsCatalog.markdownTable)
            return
        }
        for entry in SettingsCatalog.entries {
            print(entry.names.joined(separator: ", ") + "  (default: " + entry.defaultValue.replacingOccurrences(of: "`", with: "") + ")")
            print("    " + entry.meaning.replacingOccurrences(of: "`", with: ""))
        }
    }
}
