import Vapor
import Verification

/// `meiduo settings [--markdown]`: every environment variable the service reads, its default and its meaning.
struct SettingsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "markdown", help: "Print the table as the README shows it.")
        var markdown: Bool
    }

    var help: String { "Lists every setting (environment variable) with its default and meaning." }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.markdown {
            context.console.print(SettingsCatalog.markdownTable)
            return
        }
        for entry in SettingsCatalog.entries {
            context.console.print(entry.names.joined(separator: ", ") + "  (default: " + entry.defaultValue.replacingOccurrences(of: "`", with: "") + ")")
            context.console.print("    " + entry.meaning.replacingOccurrences(of: "`", with: ""))
        }
    }
}
