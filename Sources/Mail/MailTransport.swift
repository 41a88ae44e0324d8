/// Something that delivers messages: a file folder, the console, an SMTP server.
/// `send(envelope:raw:)` is the one requirement: it returns what the receiving end answered (an SMTP server's
/// acceptance with its queue id, the file written); `send(_:)` renders a `Message` first.
public protocol MailTransport: Sendable {
    @discardableResult
    func send(envelope: Envelope, raw: [UInt8]) async throws -> String
}

extension MailTransport {
    @discardableResult
    public func send(_ message: Message) async throws -> String {
        try await send(envelope: message.envelope, raw: message.render())
    }
}
