import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session: connected, greeted, secured and authenticated by `connect`, then able to send messages one
/// after another. Not for concurrent use; `SMTPConnectionPool` lends each connection to one sender at a time.
public final class SMTPConnection: Sendable {
    public let capabilities: SMTPCapabilities
    private let channel: any Channel
    private let handler: NIOLoopBound<SMTPReplyHandler>
    private let configuration: SMTPConfiguration
    private let transcript: (@Sendable (String) -> Void)?

    private init(channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>, capabilities: SMTPCapabilities,
                 configuration: SMTPConfiguration, transcript: (@Sendable (String) -> Void)?) {
        self.channel = channel
        self.handler = handler
        self.capabilities = capabilities
        self.configuration = configuration
        self.transcript = transcript
    }

    public var isOpen: Bool { channel.isActive }

    /// - Parameter transcript: receives each line of the dialogue (`C: …`, `S: …`), credentials masked.
    public static func connect(_ configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               transcript: (@Sendable (String) -> Void)? = nil) async throws(SMTPError) -> SMTPConnection {
        let tlsContext: NIOSSLContext?
        do { tlsContext = configuration.security == .none ? nil : try configuration.makeTLSContext() } catch {
            throw SMTPError(step: "TLS setup", message: "\(error)", isTransient: false)
        }
        let channel: any Channel
        // Taken as the pipeline is built: looked up later, it would be gone once a server that greets with 421
        // and hangs up (a busy one) has closed the connection, and its reply with it.
        let replyHandler = NIOLockedValueBox<NIOLoopBound<SMTPReplyHandler>?>(nil)
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.milliseconds(Int64(configuration.timeout * 1000)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if configuration.security == .implicitTLS, let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tlsContext, serverHostname: configuration.serverHostname))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        let handler = SMTPReplyHandler()
                        try channel.pipeline.syncOperations.addHandler(handler)
                        replyHandler.withLockedValue { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw SMTPError(step: "connect to \(configuration.host):\(configuration.port)", message: "\(error)", isTransient: true)
        }
        transcript?("connected to \(configuration.host):\(configuration.port)\(configuration.security == .implicitTLS ? " (TLS)" : "")")
        guard let handler = replyHandler.withLockedValue({ $0 }) else {
            channel.close(promise: nil)
            throw SMTPError(step: "connect", message: "the connection was set up without its reply handler", isTransient: true)
        }
        do {
            let capabilities = try await setUp(channel: channel, handler: handler, configuration: configuration,
                                               tlsContext: tlsContext, transcript: transcript)
            return SMTPConnection(channel: channel, handler: handler, capabilities: capabilities,
                                  configuration: configuration, transcript: transcript)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func setUp(channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>, configuration: SMTPConfiguration,
                              tlsContext: NIOSSLContext?, transcript: (@Sendable (String) -> Void)?) async throws(SMTPError) -> SMTPCapabilities {
        var setup = SMTPSessionSetup(heloName: configuration.heloName, requireStartTLS: configuration.security == .startTLS,
                                     credentials: configuration.credentials, tlsActive: configuration.security == .implicitTLS)
        var action = setup.receive(try await exchange(nil, step: "greeting", channel: channel, handler: handler,
                                                     timeout: configuration.timeout, transcript: transcript))
        while true {
            switch action {
            case .send(let command):
                action = setup.receive(try await exchange(command, step: command.step, channel: channel, handler: handler,
                                                         timeout: configuration.timeout, transcript: transcript))
            case .upgradeToTLS:
                guard let tlsContext else { throw SMTPError(step: "STARTTLS", message: "no TLS context", isTransient: false) }
                do {
                    try await channel.eventLoop.submit {
                        let sslHandler = try NIOSSLClientHandler(context: tlsContext, serverHostname: configuration.serverHostname)
                        try channel.pipeline.syncOperations.addHandler(sslHandler, position: .first)
                    }.get()
                } catch {
                    throw SMTPError(step: "STARTTLS", message: "\(error)", isTransient: false)
                }
                transcript?("TLS started")
                action = setup.tlsEstablished()
            case .ready(let capabilities):
                return capabilities
            case .fail(let error):
                throw error
            }
        }
    }

    /// Sends one message, returning the server's acceptance. On a refusal (`SMTPError` with a reply) the session stays usable after `reset()`,
    /// unless it had to be closed (see `SMTPTransaction.Action.failAndClose`).
    @discardableResult
    public func send(from: String, recipients: [String], data: [UInt8]) async throws(SMTPError) -> SMTPReply {
        let payload = try SMTPData.encode(data)
        var transaction = SMTPTransaction(from: from, recipients: recipients, size: data.count, capabilities: capabilities)
        var replies = PendingReplies()
        var action = transaction.start()
        while true {
            switch action {
            case .send(let commands):
                replies = Self.write(commands: commands, channel: channel, handler: handler, timeout: configuration.timeout, transcript: transcript)
            case .awaitReply:
                break
            case .sendPayload:
                transcript?("C: <message, \(payload.count) octets>")
                replies = Self.write(payload, steps: ["end of DATA"], channel: channel, handler: handler, timeout: configuration.timeout)
            case .done(let accepted):
                return accepted
            case .fail(let error):
                throw error
            case .failAndClose(let error):
                try? await channel.close()
                throw error
            }
            action = transaction.receive(try await replies.next(transcript: transcript))
        }
    }

    /// RSET: abandons a failed transaction so the next can start.
    public func reset() async throws(SMTPError) {
        let reply = try await exchange(.rset)
        guard reply.code == 250 else { throw SMTPError(step: "RSET", reply: reply) }
    }

    /// Ends the session at once, without QUIT: a reply being awaited fails, and a message whose end the server
    /// has not yet received is never delivered. For a sender that was cancelled.
    public func abort() {
        let channel = self.channel
        let handler = self.handler
        channel.eventLoop.execute {
            handler.value.fail(SMTPSendCancelled())
            channel.close(promise: nil)
        }
    }

    /// QUIT, then close; never throws.
    public func quit() async {
        if channel.isActive { _ = try? await exchange(.quit) }
        try? await channel.close()
    }

    private func exchange(_ command: SMTPCommand) async throws(SMTPError) -> SMTPReply {
        try await Self.exchange(command, step: command.step, channel: channel, handler: handler, timeout: configuration.timeout, transcript: transcript)
    }

    /// Writes `command` (nil: only waits, for the greeting), then waits for its reply.
    private static func exchange(_ command: SMTPCommand?, step: String, channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>,
                                 timeout: Double, transcript: (@Sendable (String) -> Void)?) async throws(SMTPError) -> SMTPReply {
        var replies = command.map { write(commands: [$0], channel: channel, handler: handler, timeout: timeout, transcript: transcript) }
            ?? write(nil, steps: [step], channel: channel, handler: handler, timeout: timeout)
        return try await replies.next(transcript: transcript)
    }

    private static func write(commands: [SMTPCommand], channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>,
                              timeout: Double, transcript: (@Sendable (String) -> Void)?) -> PendingReplies {
        for command in commands { transcript?("C: \(command.loggable)") }
        let bytes = commands.reduce(into: [UInt8]()) { $0 += Array(($1.line + "\r\n").utf8) }
        return write(bytes, steps: commands.map(\.step), channel: channel, handler: handler, timeout: timeout)
    }

    /// Writes `bytes` in one flush and expects one reply per step, each within `timeout` seconds; a timeout
    /// closes the connection.
    private static func write(_ bytes: [UInt8]?, steps: [String], channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>,
                              timeout: Double) -> PendingReplies {
        let eventLoop = channel.eventLoop
        let replies = eventLoop.flatSubmit {
            let replies = steps.map { _ in handler.value.nextReply(on: eventLoop) }
            if let bytes { channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil) }
            let timer = eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
                handler.value.fail(SMTPTimeout(seconds: timeout))
                channel.close(promise: nil)
            }
            // A failure fails every later reply too (see SMTPReplyHandler.fail), so waiting for all ends promptly.
            let all = EventLoopFuture.whenAllComplete(replies, on: eventLoop)
            all.whenComplete { _ in timer.cancel() }
            return all
        }
        return PendingReplies(steps: steps, replies: replies)
    }
}

/// Replies due for commands already written, awaited in order. Network and TLS failures become `SMTPError`s
/// naming the step.
private struct PendingReplies {
    private var steps: [String] = []
    private var replies: EventLoopFuture<[Result<SMTPReply, any Error>]>?
    private var received: [Result<SMTPReply, any Error>]?
    private var index = 0

    init() {}

    init(steps: [String], replies: EventLoopFuture<[Result<SMTPReply, any Error>]>) {
        self.steps = steps
        self.replies = replies
    }

    mutating func next(transcript: (@Sendable (String) -> Void)?) async throws(SMTPError) -> SMTPReply {
        guard let replies, index < steps.count else {
            throw SMTPError(step: "transaction", message: "no reply is due", isTransient: true)
        }
        let step = steps[index]
        index += 1
        do {
            if received == nil { received = try await replies.get() }
            let answer = try received![index - 1].get()
            transcript?("S: \(answer.code) \(answer.lines.joined(separator: "\nS: \(answer.code) "))")
            return answer
        } catch let error as SMTPProtocolError {
            throw SMTPError(step: step, message: error.description, isTransient: true)
        } catch let error as NIOSSLError {
            throw SMTPError(step: step, message: "TLS failed: \(error)", isTransient: false)
        } catch let error as BoringSSLError {
            throw SMTPError(step: step, message: "TLS failed: \(error)", isTransient: false)
        } catch {
            throw SMTPError(step: step, message: "\(error)", isTransient: true)
        }
    }
}
