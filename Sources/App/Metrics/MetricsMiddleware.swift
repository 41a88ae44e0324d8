import Vapor
import Verification

/// Counts and times every request by its route pattern (`emails/verification`, not the query), after the error
/// middleware has turned failures into responses.
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: ServiceMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code,
                                            duration: started.duration(to: .now))
        return response
    }
}
