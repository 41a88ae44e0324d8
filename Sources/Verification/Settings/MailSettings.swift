import Foundation
import Mail
import SMTPClient

/// How verification mail is made and delivered: `EMAIL_*`, named as Django's settings.
public struct MailSettings: Sendable {
    public enum Backend: Sendable {
        /// One `.eml` per message in a folder: the embedded default.
        case file(directory: String)
        case console
        case smtp(SMTPConfiguration)

        package var name: String {
            switch self {
            case .file: "file"
            case .console: "console"
            case .smtp: "smtp"
            }
        }
    }

    public var backend: Backend = .file(directory: "var/mail")
    public var from: Mailbox = try! Mailbox(parsing: "美多商城<noreply@meiduo.site>")
    /// The shop's name in the mail's subject and text.
    public var siteName = "美多商城"
    public var subject: String { subject(in: .zhCN) }
    /// The subject of the notice sent to a verified address when it is replaced.
    public var changeNoticeSubject: String { changeNoticeSubject(in: .zhCN) }
    /// The language of mails asked for with neither a `language` field nor a supported `Accept-Language`.
    package var defaultLanguage: MailLanguage = .zhCN

    package func subject(in language: MailLanguage) -> String {
        language == .en ? "\(siteName): verify your email address" : siteName + "邮箱验证"
    }

    package func changeNoticeSubject(in language: MailLanguage) -> String {
        language == .en ? "\(siteName): your email address was changed" : siteName + "邮箱变更通知"
    }
    /// Where the Leaf mail templates live (`mail/verify_email_*.leaf`, `mail/email_changed_*.leaf`).
    public var templatesDirectory = "Resources/Views/"

    public init() {}

    package static func load(from reader: VariableReader) throws(SettingsError) -> MailSettings {
        var settings = MailSettings()
        let directory = reader.string("EMAIL_FILE_PATH") ?? "var/mail"
        switch reader.string("EMAIL_BACKEND")?.lowercased() ?? "file" {
        case "file": settings.backend = .file(directory: directory)
        case "console": settings.backend = .console
        case "smtp": settings.backend = .smtp(try smtp(from: reader))
        default: throw SettingsError(variable: "EMAIL_BACKEND", problem: "must be one of file, console, smtp")
        }
        if let from = reader.string("EMAIL_FROM") {
            do { settings.from = try Mailbox(parsing: from, field: "EMAIL_FROM") } catch {
                throw SettingsError(variable: "EMAIL_FROM", problem: "is not a sender like 美多商城<noreply@example.com>: \(error)")
            }
        }
        settings.siteName = reader.string("SITE_NAME") ?? settings.siteName
        if settings.siteName.containsControlCharacter() {  // it goes into the Subject header
            throw SettingsError(variable: "SITE_NAME", problem: "must not contain line breaks or control characters")
        }
        settings.templatesDirectory = reader.directory("TEMPLATES_DIR") ?? settings.templatesDirectory
        settings.defaultLanguage = try reader.value("DEFAULT_LANGUAGE", default: .zhCN, parse: { MailLanguage(rawValue: $0) })
        return settings
    }

    /// Django's names: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (STARTTLS),
    /// EMAIL_USE_SSL (implicit TLS), EMAIL_TIMEOUT; plus EMAIL_SSL_CAFILE and the pool's EMAIL_MAX_CONNECTIONS.
    package static func smtp(from reader: VariableReader) throws(SettingsError) -> SMTPConfiguration {
        let useTLS = try reader.flag("EMAIL_USE_TLS")
        let useSSL = try reader.flag("EMAIL_USE_SSL")
        if useTLS && useSSL {
            throw SettingsError(variable: "EMAIL_USE_TLS", problem: "and EMAIL_USE_SSL are exclusive: STARTTLS or implicit TLS, not both")
        }
        let security: SMTPConfiguration.Security = useSSL ? .implicitTLS : useTLS ? .startTLS : .none
        let defaultPort: Int64 = useSSL ? 465 : useTLS ? 587 : 25
        var credentials: SMTPCredentials?
        if let user = reader.string("EMAIL_HOST_USER") {
            guard let password = reader.variables["EMAIL_HOST_PASSWORD"], !password.isEmpty else {
                throw SettingsError(variable: "EMAIL_HOST_PASSWORD", problem: "is required when EMAIL_HOST_USER is set")
            }
            credentials = SMTPCredentials(user: user, password: password)
        }
        let caFile = reader.string("EMAIL_SSL_CAFILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw SettingsError(variable: "EMAIL_SSL_CAFILE", problem: "names a file that cannot be read: \(caFile)")
        }
        return SMTPConfiguration(
            host: reader.string("EMAIL_HOST") ?? "localhost",
            port: Int(try reader.integer("EMAIL_PORT", default: defaultPort, minimum: 1, maximum: 65535)),
            security: security, credentials: credentials,
            timeout: try reader.seconds("EMAIL_TIMEOUT", default: 30),
            heloName: reader.string("EMAIL_HELO_NAME") ?? ProcessInfo.processInfo.hostName,
            extraTrustedCAFile: caFile,
            maxConnections: Int(try reader.integer("EMAIL_MAX_CONNECTIONS", default: 4, minimum: 1, maximum: 100)))
    }
}
