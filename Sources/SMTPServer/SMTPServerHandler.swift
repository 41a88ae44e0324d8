import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS
import SMTPClient

/// What the listener does with mail: which recipients it takes, and the reply to a message received in full
/// (250 once it is stored; 4xx when it could not be, so the sender tries again).
public protocol SMTPMailReceiver: Sendable {
    func accepts(recipient: String) -> Bool
    func receive(_ message: SMTPServerSession.Message, client: String) async -> SMTPReply
}

/// Open connections across the listener, against its cap.
final class ConnectionCount: Sendable {
    private let count = NIOLockedValueBox(0)
    let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    func enter() -> Bool {
        count.withLockedValue { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        count.withLockedValue { $0 -= 1 }
    }
}

/// Runs one `SMTPServerSession` on a channel: writes its replies, hands complete messages to the receiver (holding
/// the client's next lines until the receiver has answered), switches to TLS on STARTTLS, and ends idle or
/// over-long sessions.
final class SMTPServerHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPClientLine
    typealias OutboundOut = ByteBuffer

    private var session: SMTPServerSession
    private let receiver: any SMTPMailReceiver
    private let tls: NIOSSLContext?
    private let connections: ConnectionCount
    private let sessionLimit: TimeAmount
    private let logger: Logger
    private var counted = false
    private var delivering = false
    private var closing = false
    /// Lines that arrived while the receiver was storing a message.
    private var held: [SMTPClientLine] = []
    /// Between STARTTLS and the end of the TLS handshake: anything the client sent in the clear after STARTTLS is
    /// dropped, never read as a command of the encrypted session (RFC 3207 §4.2).
    private var awaitingHandshake = false
    private var deadline: Scheduled<Void>?

    init(session: SMTPServerSession, receiver: any SMTPMailReceiver, tls: NIOSSLContext?, connections: ConnectionCount,
         sessionLimit: TimeAmount, logger: Logger) {
        self.session = session
        self.receiver = receiver
        self.tls = tls
        self.connections = connections
        self.sessionLimit = sessionLimit
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        guard connections.enter() else {
            logger.warning("SMTP connection refused: at the connection limit", metadata: ["limit": "\(connections.maximum)"])
            close(after: SMTPReply(code: 421, lines: ["4.7.0 Too many connections, try again later"]), context: context)
            return
        }
        counted = true
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: sessionLimit) { [self] in
            close(after: SMTPReply(code: 421, lines: ["4.4.2 Session time limit reached"]), context: loopBoundContext.value)
        }
        write(session.greeting, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted { connections.leave() }
        counted = false
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let input = unwrapInboundIn(data)
        guard !awaitingHandshake, !closing else { return }
        if delivering {
            held.append(input)
            if held.count > 10_000 { close(after: SMTPReply(code: 421, lines: ["4.7.0 Too much input while busy"]), context: context) }
            return
        }
        handle(input, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            close(after: SMTPReply(code: 421, lines: ["4.4.2 Idle too long, closing"]), context: context)
            return
        }
        if case .handshakeCompleted? = event as? TLSUserEvent {
            awaitingHandshake = false
            session.tlsStarted()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("SMTP connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func handle(_ input: SMTPClientLine, context: ChannelHandlerContext) {
        switch session.receive(input) {
        case .none:
            break
        case .reply(let reply):
            write(reply, context: context)
        case .close(let reply):
            close(after: reply, context: context)
        case .startTLS(let reply):
            guard let tls else { return write(SMTPReply(code: 454, lines: ["4.7.0 TLS not available"]), context: context) }
            write(reply, context: context)
            awaitingHandshake = true
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            } catch {
                context.close(promise: nil)
            }
        case .deliver(let message):
            deliver(message, context: context)
        }
    }

    private func deliver(_ message: SMTPServerSession.Message, context: ChannelHandlerContext) {
        delivering = true
        let receiver = receiver
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        let promise = context.eventLoop.makePromise(of: SMTPReply.self)
        promise.completeWithTask { await receiver.receive(message, client: client) }
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        promise.futureResult.assumeIsolated().whenSuccess { [self] reply in
            let context = loopBoundContext.value
            delivering = false
            guard !closing else { return }
            write(reply, context: context)
            while !delivering, !closing, !awaitingHandshake, !held.isEmpty {
                handle(held.removeFirst(), context: context)
            }
        }
    }

    private func write(_ reply: SMTPReply, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply.encoded)), promise: nil)
    }

    private func close(after reply: SMTPReply, context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        held = []
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply.encoded))).assumeIsolated().whenComplete { _ in
            loopBoundContext.value.close(promise: nil)
        }
    }
}
