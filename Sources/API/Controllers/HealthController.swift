import Hummingbird
import SQLKit
import Verification

/// `/healthz`: the process answers. `/readyz`: the database answers and has had every migration.
struct HealthController {
    let database: RequestDatabase
    let settings: Settings
    let schema: SchemaState

    func addRoutes(to routes: RouteTable) {
        routes.on(.get, "healthz") { _, _ in MessageResponse(message: "ok") }
        routes.on(.get, "readyz", use: ready)
    }

    @Sendable func ready(request: Request, context: APIRequestContext) async throws -> Response {
        let pending: [String]
        do {
            let database = database(context)
            let missingFiles = DeploymentFiles.missing(settings)
            guard missingFiles.isEmpty else {
                context.logger.warning("readiness check failed: \(DeploymentFilesMissing(missing: missingFiles))")
                return MessageResponse(message: "templates or page missing").response(status: .serviceUnavailable)
            }
            if settings.accounts == .django {
                let missing = try await SchemaState.missingShopColumns(on: database)
                guard missing.isEmpty else {
                    context.logger.warning("readiness check failed: \(ShopTableMissing(missing: missing))")
                    return MessageResponse(message: "the shop's accounts table is missing or incomplete").response(status: .serviceUnavailable)
                }
            }
            pending = try await schema.pending(on: database)
        } catch {
            context.logger.warning("readiness check failed: \(DatabaseErrorText.describe(error))")
            return MessageResponse(message: "database unavailable").response(status: .serviceUnavailable)
        }
        guard pending.isEmpty else {
            context.logger.warning("readiness check failed: \(SchemaNotMigrated(pending: pending))")
            return MessageResponse(message: "database not migrated: run meiduo migrate").response(status: .serviceUnavailable)
        }
        return MessageResponse(message: "ok").response(status: .ok)
    }
}
