import ServiceLifecycle
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
        try await Schema.state(accounts: services.settings.accounts).requireReady(app.db.sql)
        var hostname = signature.hostname ?? "127.0.0.1"
        var port = signature.port ?? 8080
        if let bind = signature.bind {
            let parts = bind.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let bound = Int(parts[1]) else { throw UsageError("--bind must be hostname:port") }
            hostname = String(parts[0])
            port = bound
        }
        var parts: [any Service] = [APIServer.make(services: services, databases: app.databases, hostname: hostname, port: port,
                                                   eventLoopGroup: app.eventLoopGroup, logger: app.logger)]
        if !signature.noWorker {
            let services = services
            let logger = app.logger
            parts.append(WorkerService(start: { services.startWorker(logger: logger) }))
        }
        let group = ServiceGroup(configuration: .init(services: parts.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: app.logger))
        try await group.run()
    }
}
