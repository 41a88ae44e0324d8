import API
import FluentKit
import Hummingbird
import Logging
import NIOCore
import Verification

/// The API on Hummingbird's server, with the connection limits of `HTTP_*` (a whole-request deadline answered 408,
/// the keep-alive deadline, the connection maximum); run as a `Service` of the command's `ServiceGroup`.
enum APIServer {
    static func make(services: AppServices, databases: Databases, hostname: String, port: Int,
                     eventLoopGroup: any EventLoopGroup, logger: Logger) -> some ApplicationProtocol {
        let router = buildRouter(services: services, database: RequestDatabase { logger, eventLoop in databases.sql(logger: logger, on: eventLoop) },
                                 schema: Schema.state(accounts: services.settings.accounts))
        let limits = services.settings.http
        return Application(
            router: router,
            server: .http1(requestTimeout: .seconds(limits.headerTimeout), keepAliveTimeout: .seconds(limits.keepAliveTimeout)),
            configuration: .init(address: .hostname(hostname, port: port), serverName: nil,
                                 availableConnectionsDelegate: .maximum(limits.connectionCap, logger: logger)),
            eventLoopGroupProvider: .shared(eventLoopGroup), logger: logger)
    }
}
