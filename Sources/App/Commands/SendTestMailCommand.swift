import Mail
import SMTPClient
import Vapor
import Verification

/// `meiduo send-test-mail --to ADDRESS`: one message through the configured transport; for SMTP the dialogue is
/// printed as it happens (credentials masked), so a wrong host, port, certificate or password shows where it fails.
struct SendTestMailCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Option(name: "to", help: "The address to send the test message to.")
        var to: String?
    }

    var help: String {
        """
        Sends one test message with the current mail settings and prints the SMTP dialogue (credentials masked).
        Environment: \(SettingsCatalog.names(readBy: .sendTestMail)) (see `meiduo settings`).
        """
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let address = signature.to else { throw UsageError("give the recipient: --to ADDRESS") }
        let settings = services.settings.mail
        let message = try Message(
            from: settings.from, to: [Mailbox(address, field: "--to")], subject: settings.siteName + "测试邮件",
            text: "这是一封测试邮件：\(settings.siteName)的邮件设置可以正常发送。\n",
            messageID: "test-\(UUID().uuidString.lowercased())@\(settings.from.domain)")
        switch settings.backend {
        case .smtp(let configuration):
            let console = context.console
            let connection = try await SMTPConnection.connect(configuration, transcript: { console.print($0) })
            try await connection.send(from: message.envelope.from, recipients: message.envelope.recipients, data: message.render())
            await connection.quit()
        case .file, .console:
            try await services.mailTransport.send(message)
        }
        context.console.success("sent a test message to \(address) through \(Self.describe(settings.backend))")
    }

    static func describe(_ backend: MailSettings.Backend) -> String {
        switch backend {
        case .file(let directory): "the file backend (\(directory))"
        case .console: "the console backend"
        case .smtp(let configuration): "\(configuration.host):\(configuration.port)"
        }
    }
}
