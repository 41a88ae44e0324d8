import Foundation
import Mail

extension String {
    var containsControlCharacter: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}

/// How verification mail is made and delivered (DESIGN.md §6); names as Django's settings.
public struct MailSettings: Sendable {
    public enum Backend: Sendable, Equatable {
        /// One `.eml` per message in a folder: the embedded default.
        case file(directory: String)
        case console
    }

    public var backend: Backend = .file(directory: "var/mail")
    public var from: Mailbox = try! Mailbox(parsing: "美多商城<noreply@meiduo.site>")
    /// The shop's name in the mail's subject and text.
    public var siteName = "美多商城"
    public var subject: String { siteName + "邮箱验证" }
    /// Where the Leaf mail templates live (`mail/verify_email_html.leaf`, `mail/verify_email_text.leaf`).
    public var templatesDirectory = "Resources/Views/"

    public init() {}

    static func load(from reader: VariableReader) throws(SettingsError) -> MailSettings {
        var settings = MailSettings()
        let directory = reader.string("EMAIL_FILE_PATH") ?? "var/mail"
        switch reader.string("EMAIL_BACKEND")?.lowercased() ?? "file" {
        case "file": settings.backend = .file(directory: directory)
        case "console": settings.backend = .console
        case "smtp": throw SettingsError(variable: "EMAIL_BACKEND", problem: "smtp is not available in this version; use file or console")
        default: throw SettingsError(variable: "EMAIL_BACKEND", problem: "must be one of file, console, smtp")
        }
        if let from = reader.string("EMAIL_FROM") {
            do { settings.from = try Mailbox(parsing: from, field: "EMAIL_FROM") } catch {
                throw SettingsError(variable: "EMAIL_FROM", problem: "is not a sender like 美多商城<noreply@example.com>: \(error)")
            }
        }
        settings.siteName = reader.string("SITE_NAME") ?? settings.siteName
        if settings.siteName.containsControlCharacter {
            throw SettingsError(variable: "SITE_NAME", problem: "must not contain line breaks or control characters")
        }
        settings.templatesDirectory = reader.directory("TEMPLATES_DIR") ?? settings.templatesDirectory
        return settings
    }
}
