import SQLKit
import Vapor

/// `/healthz`: the process answers. `/readyz`: the database answers and has had every migration.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in MessageResponse(message: "ok") }
        routes.get("readyz", use: ready)
    }

    func ready(request: Request) async throws -> Response {
        let pending: [String]
        do {
            pending = try await Schema.pending(on: request.db as! any SQLDatabase)
        } catch {
            request.logger.warning("readiness check failed: \(DatabaseErrorText.describe(error))")
            return MessageResponse(message: "database unavailable").response(status: .serviceUnavailable)
        }
        guard pending.isEmpty else {
            request.logger.warning("readiness check failed: \(SchemaNotMigrated(pending: pending))")
            return MessageResponse(message: "database not migrated: run meiduo migrate").response(status: .serviceUnavailable)
        }
        return MessageResponse(message: "ok").response(status: .ok)
    }
}
