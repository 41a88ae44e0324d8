import Hummingbird
import Verification

/// Counts and times every request by its route pattern (`/emails/verification`, not the query), after the error
/// middleware has turned failures into responses.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.request(route: Self.route(context.endpointPath), method: request.method.rawValue, status: UInt(response.status.code),
                        duration: started.duration(to: .now))
        return response
    }

    /// The route's pattern; the public directory's files all count as `/**`, and what matched nothing as `unmatched`.
    static func route(_ endpointPath: String?) -> String {
        switch endpointPath {
        case nil, "NotFound": "unmatched"
        case "FileMiddleware": "/**"
        case let path?: path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        }
    }
}
