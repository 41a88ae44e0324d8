import HTTPLimits
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Verification

/// Hummingbird's HTTP/1 channel with each connection's deadlines (`HTTPLimits`): the guard first in the pipeline,
/// sharing the connection's timer with a part handler behind the HTTP codec.
package struct DeadlineHTTP1Channel: ServerChildChannel {
    package typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let requestTimeout: TimeAmount
    let keepAliveTimeout: TimeAmount

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timer = NIOLoopBound(ConnectionTimer(ConnectionDeadlines(requestTimeout: requestTimeout, keepAliveTimeout: keepAliveTimeout)),
                                 eventLoop: channel.eventLoop)
        var configuration = configuration
        let others = configuration.additionalChannelHandlers
        configuration.additionalChannelHandlers = { [HTTPPartDeadlineHandler(timer: timer.value)] + others() }
        let http1 = HTTP1Channel(responder: responder, configuration: configuration)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGuardHandler(timer: timer.value), position: .first)
        }.flatMap { http1.setup(channel: channel, logger: logger) }
    }

    package func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder, configuration: configuration).handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with a whole-request deadline (answered 408) and a keep-alive deadline on every connection.
    package static func http1(requestTimeout: TimeAmount, keepAliveTimeout: TimeAmount,
                      configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            DeadlineHTTP1Channel(responder: responder, configuration: configuration,
                                 requestTimeout: requestTimeout, keepAliveTimeout: keepAliveTimeout)
        }
    }
}

/// A Hummingbird application for `router` on `hostname:port` with the limits of `HTTP_*`: the whole-request and
/// keep-alive deadlines above and the connection maximum. The API's server and a worker's metrics listener alike.
package func limitedApplication<Responder: HTTPResponderBuilder>(
    router: Responder, limits: HTTPServerSettings, hostname: String, port: Int, eventLoopGroup: any EventLoopGroup, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol where Responder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    Application(
        router: router,
        server: .http1(requestTimeout: .seconds(limits.headerTimeout), keepAliveTimeout: .seconds(limits.keepAliveTimeout)),
        configuration: .init(address: .hostname(hostname, port: port), serverName: nil,
                             availableConnectionsDelegate: .maximum(limits.connectionCap, logger: logger)),
        onServerRunning: onServerRunning, eventLoopGroupProvider: .shared(eventLoopGroup), logger: logger)
}
