import ArgumentParser
import Console
import ServiceLifecycle
import Verification

/// `meiduo serve`: the HTTP API and, unless `--no-worker`, a mail worker in the same process, so the embedded
/// default needs nothing else. One `ServiceGroup`: SIGTERM or SIGINT stops both gracefully within `SHUTDOWN_TIMEOUT`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serves the HTTP API and, unless --no-worker, sends queued mail from the same process.",
        discussion: """
        Environment: \(SettingsCatalog.names(readBy: .serve)) (see `meiduo settings`); a .env file in the \
        working directory is read too.
        """)

    @OptionGroup var options: CommonOptions
    @Option(name: [.customLong("hostname"), .customShort("H")], help: "The address to listen on (default 127.0.0.1).")
    var hostname: String?
    @Option(name: [.customLong("port"), .customShort("p")], help: "The port to listen on (default 8080).")
    var port: Int?
    @Option(name: [.customLong("bind"), .customShort("b")], help: "hostname:port in one.")
    var bind: String?
    @Flag(name: .customLong("no-worker"), help: "Do not run a mail worker in this process (run `meiduo worker` elsewhere).")
    var noWorker = false
    @Option(name: .customLong("console-port"), help: "Serve the operator's console for staff on this port (none by default; never on the API's port).")
    var consolePort: Int?
    @Option(name: .customLong("console-hostname"), help: "The address the console listens on (default 127.0.0.1).")
    var consoleHostname = "127.0.0.1"

    func run() async throws {
        try await Runtime.run(options) { runtime in
            var (hostname, port) = (self.hostname ?? "127.0.0.1", self.port ?? 8080)
            if let bind {
                let parts = bind.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let bound = Int(parts[1]) else { throw UsageError("--bind must be hostname:port") }
                (hostname, port) = (String(parts[0]), bound)
            }
            guard (0...65_535).contains(port) else { throw UsageError("--port must be between 0 and 65535") }
            let services = runtime.services
            _ = try await runtime.migratedDatabase()
            var parts: [any Service] = [APIServer.make(services: services, databases: runtime.databases, hostname: hostname, port: port,
                                                       eventLoopGroup: runtime.eventLoopGroup, logger: runtime.logger)]
            if let consolePort {
                guard (1...65_535).contains(consolePort), consolePort != port else {
                    throw UsageError("--console-port must be between 1 and 65535 and not the API's port")
                }
                parts.append(ConsoleServer.make(services: services, database: runtime.databases.perRequest(pooler: services.settings.pooler.pooler),
                                                hostname: consoleHostname, port: consolePort, eventLoopGroup: runtime.eventLoopGroup,
                                                logger: runtime.logger))
                runtime.logger.notice("operator's console at http://\(consoleHostname):\(consolePort)/console/")
            }
            if !noWorker {
                let logger = runtime.logger
                parts.append(WorkerService(start: { services.startWorker(logger: logger) }))
            }
            try await runtime.runUntilSignalled(parts)
        }
    }
}

extension Runtime {
    /// Runs `parts` in one group until SIGTERM or SIGINT, then shuts them down gracefully, the last given first,
    /// and the SMTP session pool after them all; what still runs after `SHUTDOWN_TIMEOUT` is cancelled.
    func runUntilSignalled(_ parts: [any Service]) async throws {
        let pool = services.smtpPool.map { pool in StopsOnShutdown { await pool.shutdown() } }
        var configuration = ServiceGroupConfiguration(services: ([pool].compactMap { $0 } + parts).map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(settings.http.shutdownTimeout)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// Something started before its group runs (a listener bound, a pool opened), stopped when the group shuts down.
struct StopsOnShutdown: Service {
    let stop: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
