import App
import Logging
import NIOCore
import NIOPosix
import Vapor
import Verification

@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        // Before anything reads a setting, the log level and format included.
        DotEnv.load(environment: environment.name)
        let levelLowered = LogLevelCeiling.apply(to: &environment)
        if try !StructuredLogHandler.Format.bootstrapFromEnvironment() {
            // The console format, with control characters escaped.
            try LoggingSystem.bootstrap(from: &environment) { level in
                { label in SafeLogHandler(ConsoleLogHandler(label: label, level: level)) }
            }
        }
        let app = try await Application.make(environment)
        let takeover = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        app.logger.debug("NIO event loops as the concurrency executor: \(takeover)")
        if levelLowered { app.logger.warning("\(LogLevelCeiling.warning)") }
        do {
            try await configure(app)
        } catch {
            app.logger.critical("\(error)")
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.execute()
        } catch {
            // Vapor has logged the error already, in one line.
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
