/// One message as a plain state machine: MAIL FROM (with SIZE when offered) → RCPT TO for each recipient →
/// DATA → the payload → done. A message over the server's SIZE limit is refused before anything is sent.
///
/// When the server offers PIPELINING (RFC 2920), MAIL FROM, every RCPT TO and DATA go out in one write and their
/// replies are read in order, so a message costs two round trips instead of three or more. The first refusal
/// among them is the one reported.
public struct SMTPTransaction: Sendable {
    public enum Action: Sendable, Equatable {
        /// Write these commands at once, then give `receive` each reply in order.
        case send([SMTPCommand])
        /// Another reply to commands already written is due.
        case awaitReply
        case sendPayload
        /// The server took the message; its reply (`250 2.0.0 Ok: queued as 4Xyz`) names its queue id.
        case done(SMTPReply)
        case fail(SMTPError)
        /// The server accepted DATA although it refused a recipient or the sender; a message cannot be withdrawn
        /// once DATA is accepted (a lone "." would deliver it empty), so the connection must be closed.
        case failAndClose(SMTPError)
    }

    private enum Step: Sendable { case mailFrom, rcptTo(Int), data, payload }

    private let from: String
    private let recipients: [String]
    private let size: Int
    private let capabilities: SMTPCapabilities
    /// The steps whose replies are due, oldest first.
    private var awaiting: [Step] = []
    private var refusal: SMTPError?
    private var finished = false

    public init(from: String, recipients: [String], size: Int, capabilities: SMTPCapabilities) {
        self.from = from
        self.recipients = recipients
        self.size = size
        self.capabilities = capabilities
    }

    public mutating func start() -> Action {
        guard !recipients.isEmpty else {
            return finish(.fail(SMTPError(step: "RCPT TO", message: "the message has no recipients", isTransient: false)))
        }
        if let limit = capabilities.sizeLimit, size > limit {
            return finish(.fail(SMTPError(step: "MAIL FROM", message: "the message is \(size) octets, over the server's SIZE limit of \(limit)", isTransient: false)))
        }
        let utf8 = !([from] + recipients).allSatisfy { $0.allSatisfy(\.isASCII) }
        if utf8 && !capabilities.smtpUTF8 {
            return finish(.fail(SMTPError(step: "MAIL FROM", message: "an address is not ASCII and the server does not offer SMTPUTF8", isTransient: false)))
        }
        let mailFrom = SMTPCommand.mailFrom(from, size: capabilities.announcesSize ? size : nil, smtpUTF8: utf8)
        guard capabilities.pipelining else {
            awaiting = [.mailFrom]
            return .send([mailFrom])
        }
        awaiting = [.mailFrom] + recipients.indices.map(Step.rcptTo) + [.data]
        return .send([mailFrom] + recipients.map(SMTPCommand.rcptTo) + [.data])
    }

    public mutating func receive(_ reply: SMTPReply) -> Action {
        guard !finished, !awaiting.isEmpty else {
            return .fail(SMTPError(step: "transaction", message: "unexpected reply \(reply)", isTransient: true))
        }
        let step = awaiting.removeFirst()
        switch step {
        case .mailFrom:
            if reply.code != 250 { refuse(SMTPError(step: "MAIL FROM", reply: reply)) }
        case .rcptTo:
            if reply.code != 250 && reply.code != 251 { refuse(SMTPError(step: "RCPT TO", reply: reply)) }
        case .data:
            guard reply.code == 354 else { return finish(.fail(refusal ?? SMTPError(step: "DATA", reply: reply))) }
            if let refusal { return finish(.failAndClose(refusal)) }
            awaiting = [.payload]
            return .sendPayload
        case .payload:
            return finish(reply.code == 250 ? .done(reply) : .fail(SMTPError(step: "end of DATA", reply: reply)))
        }
        if !awaiting.isEmpty { return .awaitReply }
        if let refusal { return finish(.fail(refusal)) }
        return .send([next(after: step)])
    }

    /// Without pipelining: the command after a step that succeeded.
    private mutating func next(after step: Step) -> SMTPCommand {
        if case .rcptTo(let index) = step, index + 1 < recipients.count {
            awaiting = [.rcptTo(index + 1)]
            return .rcptTo(recipients[index + 1])
        }
        if case .mailFrom = step {
            awaiting = [.rcptTo(0)]
            return .rcptTo(recipients[0])
        }
        awaiting = [.data]
        return .data
    }

    private mutating func refuse(_ error: SMTPError) {
        if refusal == nil { refusal = error }
    }

    private mutating func finish(_ action: Action) -> Action {
        finished = true
        return action
    }
}
