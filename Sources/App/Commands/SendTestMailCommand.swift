import ArgumentParser
import Foundation
import Mail
import SMTPClient
import Verification

/// `meiduo send-test-mail --to ADDRESS`: one message through the configured transport; for SMTP the dialogue is
/// printed as it happens (credentials masked), so a wrong host, port, certificate or password shows where it fails.
struct SendTestMailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test-mail",
        abstract: "Sends one test message with the current mail settings and prints the SMTP dialogue (credentials masked).",
        discussion: "Environment: \(SettingsCatalog.names(readBy: .sendTestMail)) (see `meiduo settings`).")

    @OptionGroup var options: CommonOptions
    @Option(name: .customLong("to"), help: "The address to send the test message to.")
    var to: String?

    func run() async throws {
        try await Runtime.run(options) { runtime in try await send(runtime.services) }
    }

    private func send(_ services: AppServices) async throws {
        guard let address = to else { throw UsageError("give the recipient: --to ADDRESS") }
        let settings = services.settings.mail
        let message = try Message(
            from: settings.from, to: [Mailbox(address, field: "--to")], subject: settings.siteName + "测试邮件",
            text: "这是一封测试邮件：\(settings.siteName)的邮件设置可以正常发送。\n",
            messageID: "test-\(UUID().uuidString.lowercased())@\(settings.from.domain)")
        switch settings.backend {
        case .smtp(let configuration):
            let connection = try await SMTPConnection.connect(configuration, transcript: { print($0) })
            try await connection.send(from: message.envelope.from, recipients: message.envelope.recipients, data: message.render())
            await connection.quit()
        case .file, .console:
            try await services.mailTransport.send(message)
        }
        print("sent a test message to \(address) through \(Self.describe(settings.backend))")
    }

    static func describe(_ backend: MailSettings.Backend) -> String {
        switch backend {
        case .file(let directory): "the file backend (\(directory))"
        case .console: "the console backend"
        case .smtp(let configuration): "\(configuration.host):\(configuration.port)"
        }
    }
}
