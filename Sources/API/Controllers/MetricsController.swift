import HTTPTypes
import Hummingbird
import NIOCore
import Verification

/// `/metrics` in the Prometheus text format, behind `METRICS_TOKEN` when one is set; the queue depth is read from
/// the database at each scrape. The API's server and a worker's own (`MetricsListener`) answer it alike; the API's
/// also records its readiness first (`meiduo_ready`).
struct MetricsController<Context: RequestContext> {
    let scrape: MetricsScrape
    var readiness: (@Sendable (Context) async -> Void)? = nil


    @Sendable func metrics(request: Request, context: Context) async throws -> Response {
        let parts = request.headers[.authorization]?.split(separator: " ", maxSplits: 1) ?? []
        let bearer = parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        guard scrape.permits(bearer: bearer) else {
            throw APIError(status: .unauthorized, body: .detail("身份认证信息未提供。"), headers: [.wwwAuthenticate: #"Bearer realm="metrics""#])
        }
        await readiness?(context)
        return Response(status: .ok, headers: [.contentType: MetricsScrape.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: try await scrape.text())))
    }
}

extension MetricsController where Context == APIRequestContext {
    func addRoutes(to routes: RouteTable) {
        routes.on(.get, "metrics", use: metrics)
    }
}
