import Vapor

/// `/metrics` in the Prometheus text format; the queue depth is read from the database at each scrape.
struct MetricsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    func metrics(request: Request) async throws -> Response {
        let metrics = services.metrics
        metrics.queueDepth(try await services.jobQueue.countsByState())
        if let pool = services.smtpPool { metrics.smtpConnections(await pool.openConnections) }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: metrics.registry.emitToString()))
    }
}
