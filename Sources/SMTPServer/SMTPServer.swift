import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how the listener runs.
public struct SMTPServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The name in the greeting and the EHLO reply.
    public var hostname: String
    public var limits: SMTPServerSession.Limits
    public var maximumConnections: Int
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: TimeAmount
    /// No session lasts longer, however slowly its client keeps it busy.
    public var sessionLimit: TimeAmount
    /// With a context, STARTTLS is offered.
    public var tls: NIOSSLContext?

    public init(host: String, port: Int, hostname: String, limits: SMTPServerSession.Limits, maximumConnections: Int,
                idleTimeout: TimeAmount, sessionLimit: TimeAmount, tls: NIOSSLContext?) {
        self.host = host
        self.port = port
        self.hostname = hostname
        self.limits = limits
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
        self.sessionLimit = sessionLimit
        self.tls = tls
    }
}

/// An inbound SMTP listener on the same reply codec as the client, handing each message to a `SMTPMailReceiver`.
public final class SMTPServer: Sendable {
    private let channel: any Channel

    public var port: Int? { channel.localAddress?.port }

    public static func start(_ configuration: SMTPServerConfiguration, receiver: any SMTPMailReceiver,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) async throws -> SMTPServer {
        let connections = ConnectionCount(maximum: configuration.maximumConnections)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let session = SMTPServerSession(hostname: configuration.hostname, limits: configuration.limits,
                                                    offersTLS: configuration.tls != nil,
                                                    acceptsRecipient: { receiver.accepts(recipient: $0) })
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: configuration.idleTimeout),
                        ByteToMessageHandler(SMTPLineDecoder(maximumLength: 4096)),
                        SMTPServerHandler(session: session, receiver: receiver, tls: configuration.tls, connections: connections,
                                          sessionLimit: configuration.sessionLimit, logger: logger),
                    ])
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return SMTPServer(channel: channel)
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    public func close() async throws {
        try await channel.close()
    }

    /// Until the listener is closed.
    public func wait() async throws {
        try await channel.closeFuture.get()
    }
}
