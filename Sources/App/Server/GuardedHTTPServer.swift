import HTTPLimits
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import Vapor
import Verification

/// The limits a client meets on the HTTP port (`HTTP_HEADER_TIMEOUT`, `HTTP_KEEPALIVE_TIMEOUT`,
/// `HTTP_MAX_CONNECTIONS`).
struct HTTPLimits: Sendable {
    var requestTimeout: TimeAmount
    var keepAliveTimeout: TimeAmount
    var maximumConnections: Int
}

/// The API's HTTP/1.1 server: Vapor's responder — middleware and routes — behind a pipeline of this service's own,
/// because Vapor's server has no place for a request deadline or a connection cap. Each connection: a
/// `ConnectionGuardHandler` (cap, deadlines), NIO's HTTP/1 codec with pipelining assistance and protocol-error
/// answers, then a `ResponderHandler`. Stops like Vapor's: in-flight requests finish, idle connections close.
final class GuardedHTTPServer: Server, Sendable {
    private let application: Application
    private let limits: HTTPLimits
    /// Set by `start`: the quiescing helper that stops it, and the promise `onShutdown` waits on.
    private let running = NIOLockedValueBox<(quiesce: ServerQuiescingHelper, stopped: EventLoopPromise<Void>)?>(nil)

    /// Built once per application (`app.servers.use { _ in server }`): Vapor asks its provider for the server
    /// each time it needs it.
    init(application: Application, limits: HTTPLimits) {
        self.application = application
        self.limits = limits
    }

    var onShutdown: EventLoopFuture<Void> {
        running.withLockedValue { $0?.stopped.futureResult } ?? application.eventLoopGroup.any().makeSucceededFuture(())
    }

    func start(address: BindAddress?) throws {
        try application.eventLoopGroup.any().makeFutureWithTask { try await self.start(address: address) }.wait()
    }

    func start(address: BindAddress?) async throws {
        let configuration = application.http.server.configuration
        let group = application.eventLoopGroup
        let quiesce = ServerQuiescingHelper(group: group)
        let logger = application.logger
        let connections = OpenConnections(maximum: limits.maximumConnections) { maximum in
            logger.warning("HTTP connections at the cap; new ones wait until one closes", metadata: ["max_connections": "\(maximum)"])
        }
        let dates = HTTPDate()
        let limits = limits
        let application = application
        let maximumBodySize = application.routes.defaultMaxBodySize.value
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(configuration.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Few accepts per read, so the cap is overshot by at most this many.
            .serverChannelOption(.maxMessagesPerRead, value: 16)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                connections.opened()
                channel.closeFuture.whenComplete { _ in connections.closed() }
                let timer = ConnectionTimer(ConnectionDeadlines(requestTimeout: limits.requestTimeout, keepAliveTimeout: limits.keepAliveTimeout))
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ConnectionGuardHandler(timer: timer))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try pipeline.addHandler(ResponderHandler(application: application, timer: timer, maximumBodySize: maximumBodySize, dates: dates))
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
        let channel: any Channel
        switch address ?? .hostname(configuration.hostname, port: configuration.port) {
        case .hostname(let host, let port):
            channel = try await bootstrap.bind(host: host ?? configuration.hostname, port: port ?? configuration.port).get()
        case .unixDomainSocket(let path):
            channel = try await bootstrap.bind(unixDomainSocketPath: path).get()
        }
        connections.listening(on: channel)
        running.withLockedValue { $0 = (quiesce, channel.eventLoop.makePromise()) }
        if let local = channel.localAddress {
            application.logger.notice("Server started on http://\(local.ipAddress ?? configuration.hostname):\(local.port ?? 0)", metadata: [
                "request_timeout_s": "\(limits.requestTimeout.nanoseconds / 1_000_000_000)",
                "keepalive_timeout_s": "\(limits.keepAliveTimeout.nanoseconds / 1_000_000_000)",
                "max_connections": "\(limits.maximumConnections)",
            ])
        }
    }

    func shutdown() {
        _ = try? stop().wait()
    }

    func shutdown() async {
        try? await stop().get()
    }

    /// Stops accepting, lets in-flight requests finish and closes idle connections; once only.
    private func stop() -> EventLoopFuture<Void> {
        guard let (quiesce, stopped) = running.withLockedValue({ running in defer { running = nil }; return running }) else {
            return application.eventLoopGroup.any().makeSucceededFuture(())
        }
        let done = stopped.futureResult.eventLoop.makePromise(of: Void.self)
        quiesce.initiateShutdown(promise: done)
        done.futureResult.whenComplete { _ in stopped.succeed(()) }
        return done.futureResult
    }
}
