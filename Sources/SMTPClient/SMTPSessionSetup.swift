/// The opening of a session as a plain state machine (no channel): greeting → EHLO (HELO when EHLO is refused) →
/// STARTTLS and EHLO again when required → AUTH PLAIN or LOGIN as the server offers. The connection feeds it replies
/// and carries out the actions it returns, so it is tested with replies alone.
public struct SMTPSessionSetup: Sendable {
    public enum Action: Sendable, Equatable {
        case send(SMTPCommand)
        /// Put TLS on the connection now, then call `tlsEstablished()`.
        case upgradeToTLS
        case ready(SMTPCapabilities)
        case fail(SMTPError)
    }

    private enum State: Sendable {
        case greeting, ehlo, helo, startTLS, authPlain, authLogin, authLoginUser, authLoginPassword, finished
    }

    private let heloName: String
    private let requireStartTLS: Bool
    private let credentials: SMTPCredentials?
    private var state = State.greeting
    private var tlsActive: Bool
    private var capabilities = SMTPCapabilities()

    /// - Parameter tlsActive: the connection already speaks TLS (implicit TLS).
    public init(heloName: String, requireStartTLS: Bool, credentials: SMTPCredentials?, tlsActive: Bool) {
        self.heloName = heloName
        self.requireStartTLS = requireStartTLS
        self.credentials = credentials
        self.tlsActive = tlsActive
    }

    public mutating func receive(_ reply: SMTPReply) -> Action {
        switch state {
        case .greeting:
            guard reply.code == 220 else { return fail(step: "greeting", reply) }
            return send(.ehlo(heloName), next: .ehlo)
        case .ehlo:
            if reply.code == 250 {
                capabilities = SMTPCapabilities(ehloReply: reply)
                return afterHello()
            }
            if (500...504).contains(reply.code) && !requireStartTLS && credentials == nil {
                return send(.helo(heloName), next: .helo)
            }
            return fail(step: "EHLO", reply)
        case .helo:
            guard reply.code == 250 else { return fail(step: "HELO", reply) }
            capabilities = SMTPCapabilities()
            return finish()
        case .startTLS:
            guard reply.code == 220 else { return fail(step: "STARTTLS", reply) }
            state = .ehlo
            return .upgradeToTLS
        case .authPlain, .authLoginPassword:
            guard reply.code == 235 else { return fail(step: "AUTH", reply) }
            return finish()
        case .authLogin:
            guard reply.code == 334, let credentials else { return fail(step: "AUTH", reply) }
            return send(.authLoginUser(credentials.user), next: .authLoginUser)
        case .authLoginUser:
            guard reply.code == 334, let credentials else { return fail(step: "AUTH", reply) }
            return send(.authLoginPassword(credentials.password), next: .authLoginPassword)
        case .finished:
            return .fail(SMTPError(step: "session", message: "unexpected reply \(reply)", isTransient: true))
        }
    }

    /// After `upgradeToTLS`: the session restarts with EHLO over TLS (RFC 3207 §4.2).
    public mutating func tlsEstablished() -> Action {
        tlsActive = true
        capabilities = SMTPCapabilities()
        return send(.ehlo(heloName), next: .ehlo)
    }

    private mutating func afterHello() -> Action {
        if requireStartTLS && !tlsActive {
            guard capabilities.startTLS else {
                state = .finished
                return .fail(SMTPError(step: "STARTTLS", message: "the server does not offer STARTTLS; refusing to continue in the clear", isTransient: false))
            }
            return send(.startTLS, next: .startTLS)
        }
        guard let credentials else { return finish() }
        if capabilities.authMechanisms.contains("PLAIN") {
            return send(.authPlain(user: credentials.user, password: credentials.password), next: .authPlain)
        }
        if capabilities.authMechanisms.contains("LOGIN") {
            return send(.authLogin, next: .authLogin)
        }
        state = .finished
        let offered = capabilities.authMechanisms.isEmpty ? "none" : capabilities.authMechanisms.sorted().joined(separator: " ")
        return .fail(SMTPError(step: "AUTH", message: "the server offers no PLAIN or LOGIN authentication (offered: \(offered))", isTransient: false))
    }

    private mutating func send(_ command: SMTPCommand, next: State) -> Action {
        state = next
        return .send(command)
    }

    private mutating func finish() -> Action {
        state = .finished
        return .ready(capabilities)
    }

    private mutating func fail(step: String, _ reply: SMTPReply) -> Action {
        state = .finished
        return .fail(SMTPError(step: step, reply: reply))
    }
}

public struct SMTPCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// What the server's EHLO reply offers.
public struct SMTPCapabilities: Sendable, Equatable {
    public var startTLS = false
    public var authMechanisms: Set<String> = []
    /// The SIZE limit in octets; nil when not announced or 0 (no limit).
    public var sizeLimit: Int?
    public var announcesSize = false
    public var pipelining = false
    /// RFC 6531: addresses and headers may be UTF-8.
    public var smtpUTF8 = false

    public init() {}

    public init(ehloReply: SMTPReply) {
        for line in ehloReply.lines.dropFirst() {
            let words = line.uppercased().split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            switch keyword {
            case "STARTTLS": startTLS = true
            case "PIPELINING": pipelining = true
            case "SMTPUTF8": smtpUTF8 = true
            case "AUTH": authMechanisms.formUnion(words.dropFirst())
            case "SIZE":
                announcesSize = true
                if let limit = words.dropFirst().first.flatMap({ Int($0) }), limit > 0 { sizeLimit = limit }
            default: break
            }
        }
    }
}
