import App
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        if try !StructuredLogHandler.Format.bootstrapFromEnvironment() {
            try LoggingSystem.bootstrap(from: &environment)
        }
        let app = try await Application.make(environment)
        do {
            try await configure(app)
            try await app.execute()
        } catch {
            app.logger.critical("\(error)")
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
