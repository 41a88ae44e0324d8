import Vapor
import Verification

/// A worker's own `/metrics` and `/healthz` (`meiduo worker --metrics-port`): a second, minimal application on the
/// worker's event loops that serves those two routes and nothing of the API, so a split deployment scrapes the
/// jobs claimed, processed and dead, the mail send latency and the SMTP sessions where they happen.
struct MetricsListener {
    let app: Application

    static func start(services: AppServices, hostname: String, port: Int, on parent: Application) async throws -> MetricsListener {
        let app = try await Application.make(parent.environment, .shared(parent.eventLoopGroup))
        app.logger = parent.logger
        app.http.server.configuration.hostname = hostname
        app.http.server.configuration.port = port
        app.middleware = Middlewares()
        app.middleware.use(ExposureHeadersMiddleware(corsInUse: false))
        app.middleware.use(APIErrorMiddleware())
        app.get("healthz") { _ in MessageResponse(message: "ok") }
        try app.register(collection: MetricsController(services: services))
        do {
            try await app.server.start(address: .hostname(hostname, port: port))
        } catch {
            try? await app.asyncShutdown()
            throw UsageError("--metrics-port \(port): cannot listen on \(hostname):\(port) (\(error))")
        }
        parent.logger.notice("worker metrics at http://\(hostname):\(port)/metrics")
        return MetricsListener(app: app)
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
