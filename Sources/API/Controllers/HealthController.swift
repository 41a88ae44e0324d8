import Hummingbird
import SQLKit
import Verification

/// `/healthz`: the process answers. `/readyz`: the database answers and has had every migration (`Readiness`).
struct HealthController {
    let database: RequestDatabase
    let readiness: Readiness
    let metrics: ServiceMetrics

    func addRoutes(to routes: RouteTable) {
        routes.on(.get, "healthz") { _, _ in MessageResponse(message: "ok") }
        routes.on(.get, "readyz", use: ready)
    }

    @Sendable func ready(request: Request, context: APIRequestContext) async throws -> Response {
        let verdict = await readiness.check(on: database(context))
        metrics.ready(verdict == .ready)
        switch verdict {
        case .ready:
            return MessageResponse(message: "ok").response(status: .ok)
        case .notReady(let message, let reason):
            context.logger.warning("readiness check failed: \(reason)")
            return MessageResponse(message: message).response(status: .serviceUnavailable)
        }
    }
}
