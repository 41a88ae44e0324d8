import Vapor
import Verification

/// `/metrics` in the Prometheus text format; the queue depth is read from the database at each scrape.
struct MetricsController: RouteCollection {
    let scrape: MetricsScrape

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    func metrics(request: Request) async throws -> Response {
        guard scrape.permits(bearer: request.headers.bearerAuthorization?.token) else {
            throw APIError(status: .unauthorized, body: .detail("身份认证信息未提供。"), headers: ["WWW-Authenticate": #"Bearer realm="metrics""#])
        }
        return Response(status: .ok, headers: ["Content-Type": MetricsScrape.contentType], body: .init(string: try await scrape.text()))
    }
}
