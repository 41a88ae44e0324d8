import ArgumentParser
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Verification

/// What a command runs on, set up once from its environment: the log, the settings, the database (migrated first
/// when it is the embedded SQLite file) and the services built over them. `run` shuts it all down afterwards.
struct Runtime: Sendable {
    let settings: Settings
    let production: Bool
    let logger: Logger
    let databases: Databases
    let services: AppServices
    let eventLoopGroup: any EventLoopGroup

    /// The database as SQL, on one of the event loops.
    var database: any SQLDatabase { databases.sql(logger: logger, on: databases.servicesEventLoop, pooler: settings.pooler.pooler) }

    /// Sets the process up for `options` and runs `body`; a failure, in setting up or in `body`, is logged in one
    /// line and the process exits with status 1. `migrates`: the command is `migrate`, whose index builds may take
    /// longer than a request's statement may.
    static func run(_ options: CommonOptions, migrates: Bool = false, _ body: (Runtime) async throws -> Void) async throws {
        let logger = try bootstrapLogging(options)
        let runtime: Runtime
        do {
            runtime = try await start(options, logger: logger, migrates: migrates)
        } catch {
            logger.critical("\(DatabaseErrorText.describe(error))")
            throw ExitCode.failure
        }
        do {
            try await body(runtime)
        } catch {
            logger.error("\(DatabaseErrorText.describe(error))")
            await runtime.shutdown()
            throw ExitCode.failure
        }
        await runtime.shutdown()
    }

    /// Reads `.env.<environment>` and `.env` (what the process environment sets wins), then starts the log in the
    /// format and at the level they name. Once per process.
    static func bootstrapLogging(_ options: CommonOptions) throws -> Logger {
        DotEnv.load(environment: options.environment)
        do {
            let (level, lowered) = try LogLevelCeiling.level(flag: options.log)
            if try !StructuredLogHandler.Format.bootstrapFromEnvironment() {
                // The console format, with control characters escaped.
                LoggingSystem.bootstrap { label in SafeLogHandler(ConsoleLogHandler(label: label, level: level)) }
            }
            let logger = Logger(label: "meiduo")
            if lowered { logger.warning("\(LogLevelCeiling.warning)") }
            return logger
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private static func start(_ options: CommonOptions, logger: Logger, migrates: Bool) async throws -> Runtime {
        let settings = try Settings.load(from: ProcessInfo.processInfo.environment, production: options.production)
        let runtime = try await make(settings: settings, environment: options.environment, logger: logger, migrates: migrates)
        logger.info("configured", metadata: ["database": "\(settings.databaseURL)", "environment": "\(options.environment)"])
        return runtime
    }

    /// The runtime over `settings` (tests: with a database and a clock of their own).
    static func make(settings: Settings, environment: String, logger: Logger, migrates: Bool = false,
                     clock: @escaping @Sendable () -> Date = Date.init) async throws -> Runtime {
        let production = environment == "production"
        try settings.validate(production: production)
        let eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: .singleton, on: eventLoopGroup)
        do {
            try await DatabaseSetup.configure(databases, logger: logger, url: settings.databaseURL, pooler: settings.pooler.pooler,
                                              maxConnections: settings.databaseMaxConnections,
                                              statementTimeout: migrates ? nil : settings.databaseStatementTimeout, open: true)
            if case .sqlite = settings.databaseURL {
                try await SchemaMigrations(databases: databases, accounts: settings.accounts, logger: logger).prepare()
            }
            if production {
                let missing = DeploymentFiles.missing(settings)
                guard missing.isEmpty else { throw DeploymentFilesMissing(missing: missing) }
                for warning in settings.productionWarnings { logger.warning("\(warning)") }
            }
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        let sessionKeys = await SessionKeys(secretKey: settings.secretKey, fallbacks: settings.secretKeyFallbacks)
        let renderer = MailRenderer(templatesDirectory: settings.mail.templatesDirectory, cachesTemplates: environment != "development",
                                    eventLoop: eventLoopGroup.any())
        let services = AppServices(settings: settings, sessionKeys: sessionKeys, clock: clock,
                                   database: databases.sql(logger: logger, on: databases.servicesEventLoop, pooler: settings.pooler.pooler),
                                   renderer: renderer, eventLoopGroup: eventLoopGroup, logger: logger)
        return Runtime(settings: settings, production: production, logger: logger, databases: databases, services: services,
                       eventLoopGroup: eventLoopGroup)
    }

    /// QUITs the pooled SMTP sessions and closes the database's connections.
    func shutdown() async {
        await services.smtpPool?.shutdown()
        await databases.shutdownAsync()
    }
}
