import NIOCore

/// Runs one connection's `ConnectionDeadlines` on its event loop: the front handler (`ConnectionGuardHandler`)
/// reports bytes, a handler that sees HTTP messages (`HTTPPartDeadlineHandler`) reports requests and responses, and once a deadline has passed the connection is answered 408 (if a
/// request was due) and closed. A state change only moves the deadline; one repeated check a connection, a
/// quarter of the shorter timeout apart (at most a second), acts on it, so no timer is set or cancelled per
/// request. Shared by the two handlers of one channel, so never across threads.
public final class ConnectionTimer {
    private var deadlines: ConnectionDeadlines
    private var deadline: NIODeadline?
    /// While the client takes nothing of what was written: when it must have started again.
    private var sendDeadline: NIODeadline?
    private var check: RepeatedTask?
    private var context: ChannelHandlerContext?

    public init(_ deadlines: ConnectionDeadlines) {
        self.deadlines = deadlines
    }

    /// `context` is the front handler's, so that the 408 goes out as raw bytes below the HTTP encoder.
    public func start(context: ChannelHandlerContext) {
        guard self.context == nil else { return }
        self.context = context
        let shorter = min(deadlines.requestTimeout, deadlines.keepAliveTimeout, deadlines.sendTimeout ?? deadlines.requestTimeout)
        let interval = max(TimeAmount.milliseconds(100), min(TimeAmount.seconds(1), TimeAmount.nanoseconds(shorter.nanoseconds / 4)))
        let timer = NIOLoopBound(self, eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            timer.value.checkDeadline()
        }
        apply(deadlines.connected())
    }

    public func bytesArrived() { apply(deadlines.bytesArrived()) }
    public func requestComplete() { apply(deadlines.requestComplete()) }
    public func responseComplete() { apply(deadlines.responseComplete()) }

    public func stop() {
        check?.cancel()
        check = nil
        context = nil
    }

    public func writabilityChanged(isWritable: Bool) {
        switch deadlines.writabilityChanged(isWritable: isWritable) {
        case .none: return
        case .disarm: sendDeadline = nil
        case .arm(let timeout): sendDeadline = .now() + timeout
        }
    }

    private func apply(_ action: ConnectionDeadlines.Action) {
        switch action {
        case .none: return
        case .disarm: deadline = nil
        case .arm(let timeout): deadline = .now() + timeout
        }
    }

    private func checkDeadline() {
        if let sendDeadline, sendDeadline <= .now() {
            // Nothing more can be written: no 408, just the close.
            stopChecking()?.close(promise: nil)
        } else if let deadline, deadline <= .now() {
            expired()
        }
    }

    /// Stops the checks; the context to close, if the connection is still there.
    private func stopChecking() -> ChannelHandlerContext? {
        deadline = nil
        sendDeadline = nil
        check?.cancel()
        check = nil
        return context
    }

    private func expired() {
        guard let context = stopChecking() else { return }
        if deadlines.state == .receiving {
            let timeout = ByteBuffer(string: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            context.writeAndFlush(NIOAny(timeout)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }
}

/// First in each connection's pipeline: starts its deadlines and reports every arriving byte to them.
public final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private let timer: ConnectionTimer

    public init(timer: ConnectionTimer) {
        self.timer = timer
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { timer.start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        timer.start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer.stop()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer.bytesArrived()
        context.fireChannelRead(data)
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        timer.writabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }
}
