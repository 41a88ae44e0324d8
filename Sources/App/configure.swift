import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor
import Verification

/// Configures the service from the process environment (and `.env`, which Vapor has loaded by now).
public func configure(_ app: Application) async throws {
    let settings = try Settings.load(from: ProcessInfo.processInfo.environment, production: app.environment == .production)
    try await configure(app, settings: settings)
}

/// Configures the service from explicit settings (tests: with a database and a clock of their own) and returns
/// the services it built, which everything that needs them is handed.
@discardableResult
func configure(_ app: Application, settings: Settings, clock: @escaping @Sendable () -> Date = Date.init) async throws -> AppServices {
    let production = app.environment == .production
    try settings.validate(production: production)
    let touchesDatabase = CommandLineIntent.touchesDatabase(app.environment.arguments)
    try await DatabaseSetup.configure(app.databases, logger: app.logger, url: settings.databaseURL,
                                      maxConnections: settings.databaseMaxConnections,
                                      statementTimeout: CommandLineIntent.migrates(app.environment.arguments) ? nil : settings.databaseStatementTimeout,
                                      open: touchesDatabase)
    app.migrations.add(Schema.migrations(for: settings.accounts))
    if case .sqlite = settings.databaseURL, touchesDatabase {
        try await app.autoMigrate()
    }
    if production && touchesDatabase {
        let missing = DeploymentFiles.missing(settings)
        guard missing.isEmpty else { throw DeploymentFilesMissing(missing: missing) }
        for warning in settings.productionWarnings { app.logger.warning("\(warning)") }
    }
    let sessionKeys = await SessionKeys(secretKey: settings.secretKey, fallbacks: settings.secretKeyFallbacks)
    let renderer = MailRenderer(templatesDirectory: settings.mail.templatesDirectory, cachesTemplates: app.environment != .development,
                                eventLoop: app.eventLoopGroup.any())
    let services = AppServices(settings: settings, sessionKeys: sessionKeys, clock: clock, database: app.db.sql,
                               renderer: renderer, eventLoopGroup: app.eventLoopGroup, logger: app.logger)
    if let pool = services.smtpPool { app.lifecycle.use(SMTPPoolShutdown(pool: pool)) }

    app.asyncCommands.use(ServeWithWorkerCommand(services: services), as: "serve", isDefault: true)
    app.asyncCommands.use(WorkerCommand(services: services), as: "worker")
    app.asyncCommands.use(JobsCommand(services: services), as: "jobs")
    app.asyncCommands.use(SendTestMailCommand(services: services), as: "send-test-mail")
    app.asyncCommands.use(BouncesCommand(services: services), as: "bounces")
    app.asyncCommands.use(MailCommand(services: services), as: "mail")
    app.asyncCommands.use(SuppressionsCommand(services: services), as: "suppressions")
    app.asyncCommands.use(SettingsCommand(), as: "settings")

    app.logger.info("configured", metadata: ["database": "\(settings.databaseURL)", "environment": "\(app.environment.name)"])
    return services
}
