import API
import FluentKit
import Hummingbird
import Logging
import NIOCore
import Verification

/// The API on Hummingbird's server with the connection limits of `HTTP_*` (`limitedApplication`); run as a `Service`
/// of the command's `ServiceGroup`.
enum APIServer {
    static func make(services: AppServices, databases: Databases, hostname: String, port: Int,
                     eventLoopGroup: any EventLoopGroup, logger: Logger) -> some ApplicationProtocol {
        let router = buildRouter(services: services, database: databases.perRequest(pooler: services.settings.pooler.pooler),
                                 schema: Schema.state(accounts: services.settings.accounts))
        return limitedApplication(router: router, limits: services.settings.http, hostname: hostname, port: port,
                                  eventLoopGroup: eventLoopGroup, logger: logger)
    }
}

extension Databases {
    /// The pooled database as each request uses it: on the request's event loop, logging with its logger.
    func perRequest(pooler: PoolerSettings.Pooler) -> RequestDatabase {
        RequestDatabase { logger, eventLoop in self.sql(logger: logger, on: eventLoop, pooler: pooler) }
    }
}
