/// A failed step: which one, the server's reply if there was one, and whether trying again later can help
/// (4xx replies, network trouble and timeouts can; 5xx replies and refused certificates cannot).
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var step: String
    public var reply: SMTPReply?
    public var message: String
    public var isTransient: Bool

    public init(step: String, reply: SMTPReply) {
        self.step = step
        self.reply = reply
        self.message = reply.text
        self.isTransient = !(500...599).contains(reply.code)
    }

    public init(step: String, message: String, isTransient: Bool) {
        self.step = step
        self.reply = nil
        self.message = message
        self.isTransient = isTransient
    }

    public var code: Int? { reply?.code }
    public var enhancedCode: String? { reply?.enhancedCode }

    /// `RCPT TO failed: 550 5.1.1 <x@example.com>: Recipient address rejected` or `connect failed: timed out after 10 s`.
    public var description: String {
        if let reply { return "\(step) failed: \(reply.code) \(message)" }
        return "\(step) failed: \(message)"
    }
}
