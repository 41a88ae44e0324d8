import Foundation
import SMTPClient

/// The receiving side of an SMTP session (RFC 5321) as a plain state machine: each line in, one action out.
/// It accepts mail only for recipients `acceptsRecipient` approves (no relaying), limits a message's size and
/// recipients, closes after too many errors, and offers STARTTLS when the listener has a certificate.
public struct SMTPServerSession: Sendable {
    public struct Limits: Sendable {
        public var maximumMessageSize: Int
        public var maximumRecipients = 20
        /// Refused or unknown commands before the session is closed.
        public var maximumErrors = 10

        public init(maximumMessageSize: Int) {
            self.maximumMessageSize = maximumMessageSize
        }
    }

    /// A message received in full: the envelope and the payload with CRLF line ends, dots unstuffed.
    public struct Message: Sendable, Equatable {
        public var from: String
        public var recipients: [String]
        public var data: [UInt8]

        public init(from: String, recipients: [String], data: [UInt8]) {
            self.from = from
            self.recipients = recipients
            self.data = data
        }
    }

    public enum Action: Sendable, Equatable {
        case reply(SMTPReply)
        /// Reply, then close the connection.
        case close(SMTPReply)
        /// Reply, then start TLS; the session starts over (a client must say EHLO again).
        case startTLS(SMTPReply)
        /// The receiver decides the reply to the end of DATA.
        case deliver(Message)
        /// A payload line was taken.
        case none
    }

    private enum State: Sendable {
        case connected
        case greeted
        case mail(from: String, recipients: [String])
        case data(from: String, recipients: [String], bytes: [UInt8], problem: SMTPReply?)
    }

    private let hostname: String
    private let limits: Limits
    private let offersTLS: Bool
    private let acceptsRecipient: @Sendable (String) -> Bool
    private var state = State.connected
    private var errors = 0
    private var tlsActive = false

    public init(hostname: String, limits: Limits, offersTLS: Bool, acceptsRecipient: @escaping @Sendable (String) -> Bool) {
        self.hostname = hostname
        self.limits = limits
        self.offersTLS = offersTLS
        self.acceptsRecipient = acceptsRecipient
    }

    public var greeting: SMTPReply { SMTPReply(code: 220, lines: ["\(hostname) ESMTP"]) }

    public mutating func tlsStarted() {
        tlsActive = true
        state = .connected
    }

    public mutating func receive(_ input: SMTPClientLine) -> Action {
        if case .data(let from, let recipients, var bytes, var problem) = state {
            guard case .line(let line) = input else {
                problem = problem ?? SMTPReply(code: 500, lines: ["5.6.0 A line of the message is too long"])
                state = .data(from: from, recipients: recipients, bytes: [], problem: problem)
                return .none
            }
            if line == [UInt8(ascii: ".")] {
                state = .greeted
                if let problem { return refuse(problem) }
                return .deliver(Message(from: from, recipients: recipients, data: bytes))
            }
            let content = line.first == UInt8(ascii: ".") ? line.dropFirst() : line[...]
            if problem == nil {
                if bytes.count + content.count + 2 > limits.maximumMessageSize {
                    problem = SMTPReply(code: 552, lines: ["5.3.4 The message is over \(limits.maximumMessageSize) octets"])
                    bytes = []
                } else {
                    bytes += content
                    bytes += [13, 10]
                }
            }
            state = .data(from: from, recipients: recipients, bytes: bytes, problem: problem)
            return .none
        }
        guard case .line(let bytes) = input else { return refuse(SMTPReply(code: 500, lines: ["5.5.6 The command line is too long"])) }
        return command(String(decoding: bytes, as: UTF8.self))
    }

    private mutating func command(_ line: String) -> Action {
        let verb = line.prefix { $0 != " " && $0 != ":" }.uppercased()
        let argument = line.dropFirst(verb.count)
        switch verb {
        case "EHLO", "HELO":
            guard !argument.trimmingCharacters(in: .whitespaces).isEmpty else { return refuse(SMTPReply(code: 501, lines: ["5.5.4 \(verb) needs a domain"])) }
            state = .greeted
            guard verb == "EHLO" else { return .reply(SMTPReply(code: 250, lines: [hostname])) }
            var lines = [hostname, "SIZE \(limits.maximumMessageSize)", "8BITMIME", "ENHANCEDSTATUSCODES"]
            if offersTLS && !tlsActive { lines.append("STARTTLS") }
            return .reply(SMTPReply(code: 250, lines: lines))
        case "STARTTLS":
            guard offersTLS, !tlsActive else { return refuse(SMTPReply(code: 502, lines: ["5.5.1 STARTTLS is not offered here"])) }
            guard case .greeted = state else { return refuse(SMTPReply(code: 503, lines: ["5.5.1 Say EHLO first, outside a mail transaction"])) }
            return .startTLS(SMTPReply(code: 220, lines: ["2.0.0 Ready to start TLS"]))
        case "MAIL":
            guard case .greeted = state else { return refuse(SMTPReply(code: 503, lines: ["5.5.1 Say EHLO first, and one MAIL per transaction"])) }
            guard let (from, parameters) = Self.path(after: "FROM:", in: argument) else {
                return refuse(SMTPReply(code: 501, lines: ["5.5.4 Syntax: MAIL FROM:<address>"]))
            }
            if let size = parameters.first(where: { $0.uppercased().hasPrefix("SIZE=") }).flatMap({ Int($0.dropFirst(5)) }),
               size > limits.maximumMessageSize {
                return refuse(SMTPReply(code: 552, lines: ["5.3.4 The message is over \(limits.maximumMessageSize) octets"]))
            }
            state = .mail(from: from, recipients: [])
            return .reply(SMTPReply(code: 250, lines: ["2.1.0 OK"]))
        case "RCPT":
            guard case .mail(let from, let recipients) = state else { return refuse(SMTPReply(code: 503, lines: ["5.5.1 MAIL first"])) }
            guard let (recipient, _) = Self.path(after: "TO:", in: argument), !recipient.isEmpty else {
                return refuse(SMTPReply(code: 501, lines: ["5.5.4 Syntax: RCPT TO:<address>"]))
            }
            guard recipients.count < limits.maximumRecipients else { return .reply(SMTPReply(code: 452, lines: ["4.5.3 Too many recipients"])) }
            guard acceptsRecipient(recipient) else {
                return refuse(SMTPReply(code: 550, lines: ["5.1.1 No such mailbox here; this server takes only its own bounce addresses"]))
            }
            state = .mail(from: from, recipients: recipients + [recipient])
            return .reply(SMTPReply(code: 250, lines: ["2.1.5 OK"]))
        case "DATA":
            guard case .mail(let from, let recipients) = state, !recipients.isEmpty else {
                return refuse(SMTPReply(code: 503, lines: ["5.5.1 MAIL and an accepted RCPT first"]))
            }
            state = .data(from: from, recipients: recipients, bytes: [], problem: nil)
            return .reply(SMTPReply(code: 354, lines: ["End data with <CR><LF>.<CR><LF>"]))
        case "RSET":
            if case .connected = state {} else { state = .greeted }
            return .reply(SMTPReply(code: 250, lines: ["2.0.0 OK"]))
        case "NOOP":
            return .reply(SMTPReply(code: 250, lines: ["2.0.0 OK"]))
        case "VRFY":
            return .reply(SMTPReply(code: 252, lines: ["2.5.0 Cannot verify; send the mail"]))
        case "QUIT":
            return .close(SMTPReply(code: 221, lines: ["2.0.0 Bye"]))
        default:
            return refuse(SMTPReply(code: 500, lines: ["5.5.2 Command not recognized"]))
        }
    }

    /// Counts a refusal; past the limit the session ends.
    private mutating func refuse(_ reply: SMTPReply) -> Action {
        errors += 1
        guard errors < limits.maximumErrors else { return .close(SMTPReply(code: 421, lines: ["4.7.0 Too many errors, closing"])) }
        return .reply(reply)
    }

    /// `FROM:<a@b> SIZE=10` → (`a@b`, [`SIZE=10`]); the keyword is matched without regard to case, a space after the
    /// colon is tolerated.
    private static func path(after keyword: String, in argument: Substring) -> (String, [Substring])? {
        let trimmed = argument.drop { $0 == " " }
        guard trimmed.uppercased().hasPrefix(keyword) else { return nil }
        let rest = trimmed.dropFirst(keyword.count).drop { $0 == " " }
        guard rest.first == "<", let close = rest.firstIndex(of: ">") else { return nil }
        let address = String(rest[rest.index(after: rest.startIndex)..<close])
        guard !address.contains(where: { $0 == " " || $0 == "<" }) else { return nil }
        return (address, rest[rest.index(after: close)...].split(separator: " "))
    }
}
