import SQLKit
import Vapor
import Verification

/// `meiduo serve`: Vapor's serve command plus `--no-worker`. By default a mail worker runs in the same process,
/// so the embedded default needs nothing else.
struct ServeWithWorkerCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "The address to listen on (default 127.0.0.1).")
        var hostname: String?
        @Option(name: "port", short: "p", help: "The port to listen on (default 8080).")
        var port: Int?
        @Option(name: "bind", short: "b", help: "hostname:port in one.")
        var bind: String?
        @Flag(name: "no-worker", help: "Do not run a mail worker in this process (run `meiduo worker` elsewhere).")
        var noWorker: Bool
    }

    var help: String {
        """
        Serves the HTTP API and, unless --no-worker, sends queued mail from the same process.
        Environment: \(SettingsCatalog.names(readBy: .serve)) (see `meiduo settings`); a .env file in the
        working directory is read too.
        """
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Schema.requireReady(app.db.sql, accounts: services.settings.accounts)
        if !signature.noWorker {
            app.lifecycle.use(services.startWorker(logger: app.logger))
        }
        var arguments: [String] = []
        if let hostname = signature.hostname { arguments += ["--hostname", hostname] }
        if let port = signature.port { arguments += ["--port", String(port)] }
        if let bind = signature.bind { arguments += ["--bind", bind] }
        var serveContext = context
        serveContext.input = CommandInput(arguments: ["meiduo serve"] + arguments)
        try await app.servers.asyncCommand.run(using: &serveContext)
    }
}
