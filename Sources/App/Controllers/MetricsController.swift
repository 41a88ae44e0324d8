import ConstantTime
import Vapor
import Verification

/// `/metrics` in the Prometheus text format; the queue depth is read from the database at each scrape.
struct MetricsController: RouteCollection {
    let services: AppServices

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    func metrics(request: Request) async throws -> Response {
        if let expected = services.settings.metricsToken {
            let given = request.headers.bearerAuthorization?.token ?? ""
            guard ConstantTime.equal(Array(given.utf8), Array(expected.utf8)) else {
                throw APIError(status: .unauthorized, body: .detail("身份认证信息未提供。"), headers: ["WWW-Authenticate": #"Bearer realm="metrics""#])
            }
        }
        let metrics = services.metrics
        metrics.queueDepth(try await services.jobQueue.countsByState())
        if let pool = services.smtpPool { metrics.smtpConnections(await pool.openConnections) }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: metrics.registry.emitToString()))
    }
}
