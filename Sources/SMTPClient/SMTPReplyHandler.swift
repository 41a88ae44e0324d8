import NIOCore

/// Hands each decoded reply to the oldest waiting request; a failure or a closed connection fails every waiter.
/// Lives on the channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = SMTPReply

    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    private var unclaimed = CircularBuffer<SMTPReply>()
    private var failure: (any Error)?

    /// The next reply; call on the event loop before writing the command it answers.
    func nextReply(on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        if let reply = unclaimed.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        waiting.append(promise)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if let promise = waiting.popFirst() { promise.succeed(reply) } else { unclaimed.append(reply) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPConnectionClosed())
        context.fireChannelInactive()
    }

    /// Fails every waiter and every later request with `error` (the first failure wins).
    func fail(_ error: any Error) {
        if failure == nil { failure = error }
        while let promise = waiting.popFirst() { promise.fail(failure!) }
    }
}

struct SMTPConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the server closed the connection" }
}

struct SMTPSendCancelled: Error, CustomStringConvertible {
    var description: String { "the send was cancelled; the session was closed" }
}

struct SMTPTimeout: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "no reply within \(seconds.formatted()) s" }
}

private extension Double {
    func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}
