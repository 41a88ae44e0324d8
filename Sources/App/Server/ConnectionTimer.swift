import NIOCore

/// Runs one connection's `ConnectionDeadlines` on its event loop: the front handler reports bytes, the responder
/// handler reports requests and responses, and when the timer fires the connection is answered 408 (if a request
/// was due) and closed. Shared by the two handlers of one channel, so never across threads.
final class ConnectionTimer {
    private var deadlines: ConnectionDeadlines
    private var scheduled: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(_ deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    /// `context` is the front handler's, so that the 408 goes out as raw bytes below the HTTP encoder.
    func start(context: ChannelHandlerContext) {
        guard self.context == nil else { return }
        self.context = context
        apply(deadlines.connected())
    }

    func bytesArrived() { apply(deadlines.bytesArrived()) }
    func requestComplete() { apply(deadlines.requestComplete()) }
    func responseComplete() { apply(deadlines.responseComplete()) }

    func stop() {
        scheduled?.cancel()
        scheduled = nil
        context = nil
    }

    private func apply(_ action: ConnectionDeadlines.Action) {
        switch action {
        case .none:
            return
        case .disarm:
            scheduled?.cancel()
            scheduled = nil
        case .arm(let timeout):
            scheduled?.cancel()
            guard let context else { return }
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in expired() }
        }
    }

    private func expired() {
        guard let context else { return }
        scheduled = nil
        if deadlines.state == .receiving {
            let timeout = ByteBuffer(string: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            context.writeAndFlush(NIOAny(timeout)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }
}

/// First in each connection's pipeline: starts its deadlines and reports every arriving byte to them.
final class ConnectionGuardHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timer: ConnectionTimer

    init(timer: ConnectionTimer) {
        self.timer = timer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { timer.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        timer.start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer.bytesArrived()
        context.fireChannelRead(data)
    }
}
