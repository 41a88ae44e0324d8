import SQLKit
import Vapor
import Verification

/// `/healthz`: the process answers. `/readyz`: the database answers and has had every migration.
struct HealthController: RouteCollection {
    let settings: Settings

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in MessageResponse(message: "ok") }
        routes.get("readyz", use: ready)
    }

    func ready(request: Request) async throws -> Response {
        let pending: [String]
        do {
            let database = request.db.sql
            let missingFiles = DeploymentFiles.missing(settings)
            guard missingFiles.isEmpty else {
                request.logger.warning("readiness check failed: \(DeploymentFilesMissing(missing: missingFiles))")
                return MessageResponse(message: "templates or page missing").response(status: .serviceUnavailable)
            }
            if settings.accounts == .django {
                let missing = try await Schema.missingShopColumns(on: database)
                guard missing.isEmpty else {
                    request.logger.warning("readiness check failed: \(ShopTableMissing(missing: missing))")
                    return MessageResponse(message: "the shop's accounts table is missing or incomplete").response(status: .serviceUnavailable)
                }
            }
            pending = try await Schema.pending(on: database, accounts: settings.accounts)
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
