/// One message as a plain state machine: MAIL FROM (with SIZE when offered) → RCPT TO for each recipient →
/// DATA → the payload → done. A message over the server's SIZE limit is refused before anything is sent.
public struct SMTPTransaction: Sendable {
    public enum Action: Sendable, Equatable {
        case send(SMTPCommand)
        case sendPayload
        case done
        case fail(SMTPError)
    }

    private enum State: Sendable { case mailFrom, rcptTo(Int), data, payload, finished }

    private let from: String
    private let recipients: [String]
    private let size: Int
    private let capabilities: SMTPCapabilities
    private var state = State.mailFrom

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
        return .send(.mailFrom(from, size: capabilities.announcesSize ? size : nil))
    }

    public mutating func receive(_ reply: SMTPReply) -> Action {
        switch state {
        case .mailFrom:
            guard reply.code == 250 else { return finish(.fail(SMTPError(step: "MAIL FROM", reply: reply))) }
            state = .rcptTo(0)
            return .send(.rcptTo(recipients[0]))
        case .rcptTo(let index):
            guard reply.code == 250 || reply.code == 251 else { return finish(.fail(SMTPError(step: "RCPT TO", reply: reply))) }
            if index + 1 < recipients.count {
                state = .rcptTo(index + 1)
                return .send(.rcptTo(recipients[index + 1]))
            }
            state = .data
            return .send(.data)
        case .data:
            guard reply.code == 354 else { return finish(.fail(SMTPError(step: "DATA", reply: reply))) }
            state = .payload
            return .sendPayload
        case .payload:
            guard reply.code == 250 else { return finish(.fail(SMTPError(step: "end of DATA", reply: reply))) }
            return finish(.done)
        case .finished:
            return .fail(SMTPError(step: "transaction", message: "unexpected reply \(reply)", isTransient: true))
        }
    }

    private mutating func finish(_ action: Action) -> Action {
        state = .finished
        return action
    }
}
