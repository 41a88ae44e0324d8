import NIOCore
import NIOHTTPTypes

/// Behind the HTTP/1 codec of a server that speaks swift-http-types (Hummingbird 2's `HTTP1Channel` takes it among
/// its additional handlers): reports to the connection's `ConnectionTimer` when a request has arrived in full and
/// when its response has been written in full. `ConnectionGuardHandler`, first in the same pipeline, reports the
/// bytes and answers 408.
public final class HTTPPartDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private let timer: ConnectionTimer

    public init(timer: ConnectionTimer) {
        self.timer = timer
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { timer.requestComplete() }
        context.fireChannelRead(data)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { timer.responseComplete() }
        context.write(data, promise: promise)
    }
}
