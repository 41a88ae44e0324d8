import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers too.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in MessageResponse(message: "ok") }
        routes.get("readyz", use: ready)
    }

    func ready(request: Request) async throws -> Response {
        do {
            try await (request.db as! any SQLDatabase).raw("SELECT 1").run()
            return MessageResponse(message: "ok").response(status: .ok)
        } catch {
            request.logger.warning("readiness check failed: \(String(reflecting: error))")
            return MessageResponse(message: "database unavailable").response(status: .serviceUnavailable)
        }
    }
}
