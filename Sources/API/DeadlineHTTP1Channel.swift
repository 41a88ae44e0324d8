import HTTPLimits
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Verification

/// Hummingbird's HTTP/1 channel with each connection's deadlines (`HTTPLimits`): the guard first in the pipeline,
/// sharing the connection's timer with a part handler behind the HTTP codec; then the rules every request head
/// must meet (`RequestHeadRules`).
package struct DeadlineHTTP1Channel: ServerChildChannel {
    package typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let configuration: HTTP1Channel.Configuration
    let requestTimeout: TimeAmount
    let keepAliveTimeout: TimeAmount
    let sendTimeout: TimeAmount
    let maximumBodySize: Int

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let deadlines = ConnectionDeadlines(requestTimeout: requestTimeout, keepAliveTimeout: keepAliveTimeout, sendTimeout: sendTimeout)
        let timer = NIOLoopBound(ConnectionTimer(deadlines), eventLoop: channel.eventLoop)
        var configuration = configuration
        let others = configuration.additionalChannelHandlers
        let maximumBodySize = maximumBodySize
        configuration.additionalChannelHandlers = {
            [HTTPPartDeadlineHandler(timer: timer.value), RequestHeadRules(maximumBodySize: maximumBodySize)] + others()
        }
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
    /// HTTP/1.1 with a whole-request deadline (answered 408), a keep-alive deadline and a send deadline on every
    /// connection, and the request-head rules.
    package static func http1(requestTimeout: TimeAmount, keepAliveTimeout: TimeAmount, sendTimeout: TimeAmount, maximumBodySize: Int,
                              configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            DeadlineHTTP1Channel(responder: responder, configuration: configuration, requestTimeout: requestTimeout,
                                 keepAliveTimeout: keepAliveTimeout, sendTimeout: sendTimeout, maximumBodySize: maximumBodySize)
        }
    }
}

/// A Hummingbird application for `router` on `hostname:port` with the limits of `HTTP_*`: the deadlines and rules
/// above, the connection maximum and the listen backlog. The API's server and a worker's metrics listener alike. No
/// route reads a body larger than a webhook's, so a larger declared length is refused before it is read.
package func limitedApplication<Responder: HTTPResponderBuilder>(
    router: Responder, limits: HTTPServerSettings, hostname: String, port: Int, eventLoopGroup: any EventLoopGroup, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol where Responder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    Application(
        router: router,
        server: .http1(requestTimeout: .seconds(limits.headerTimeout), keepAliveTimeout: .seconds(limits.keepAliveTimeout),
                       sendTimeout: .seconds(limits.sendTimeout), maximumBodySize: WebhookController.maximumBody),
        configuration: .init(address: .hostname(hostname, port: port), serverName: nil, backlog: limits.listenBacklog,
                             availableConnectionsDelegate: .maximum(limits.connectionCap, logger: logger)),
        onServerRunning: onServerRunning, eventLoopGroupProvider: .shared(eventLoopGroup), logger: logger)
}
