import SQLKit

/// Whether this process can serve: its templates and page are there, the database answers, has had every migration
/// and — in a Django shop — holds the shop's accounts table. `/readyz` answers it; each scrape of `/metrics` records
/// it (`meiduo_ready`), so an alert needs nothing to poll `/readyz`.
package struct Readiness: Sendable {
    package let settings: Settings
    package let schema: SchemaState

    package enum Verdict: Equatable, Sendable {
        case ready
        /// `message`: the answer's; `reason`: the log's, naming what is missing.
        case notReady(message: String, reason: String)
    }

    package func check(on database: any SQLDatabase) async -> Verdict {
        let missingFiles = DeploymentFiles.missing(settings)
        guard missingFiles.isEmpty else {
            return .notReady(message: "templates or page missing", reason: "\(DeploymentFilesMissing(missing: missingFiles))")
        }
        do {
            try await schema.requireReady(database)
        } catch let missing as ShopTableMissing {
            return .notReady(message: "the shop's accounts table is missing or incomplete", reason: "\(missing)")
        } catch let pending as SchemaNotMigrated {
            return .notReady(message: "database not migrated: run meiduo migrate", reason: "\(pending)")
        } catch {
            return .notReady(message: "database unavailable", reason: DatabaseErrorText.describe(error))
        }
        return .ready
    }

    package init(settings: Settings, schema: SchemaState) {
        self.settings = settings
        self.schema = schema
    }
}
