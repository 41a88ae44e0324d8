/// Something that delivers messages: a file folder, the console, an SMTP server.
/// `send(envelope:raw:)` is the one requirement; `send(_:)` renders a `Message` first.
public protocol MailTransport: Sendable {
    func send(envelope: Envelope, raw: [UInt8]) async throws
}

extension MailTransport {
    public func send(_ message: Message) async throws {
        try await send(envelope: message.envelope, raw: message.render())
    }
}
