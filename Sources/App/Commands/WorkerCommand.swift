import API
import ArgumentParser
import ServiceLifecycle
import Verification

/// `meiduo worker`: queue workers alone until SIGTERM or SIGINT, then a graceful stop; with `--metrics-port`, the
/// worker's own `/metrics` and `/healthz` beside them.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Sends queued mail until SIGTERM/SIGINT, then stops gracefully; run as many as you like against one database.",
        discussion: "Environment: \(SettingsCatalog.names(readBy: .worker)) (see `meiduo settings`).")

    @OptionGroup var options: CommonOptions
    @Option(name: [.customLong("concurrency"), .customShort("c")], help: "Jobs run at once (default WORKER_CONCURRENCY, \(QueueSettings.defaultConcurrency)).")
    var concurrency: Int?
    @Option(name: [.customLong("queue"), .customShort("q")], help: "The queue to work (default JOB_QUEUE, \"default\").")
    var queue: String?
    @Option(name: .customLong("metrics-port"), help: "Serve this worker's /metrics and /healthz on this port (default: none).")
    var metricsPort: Int?
    @Option(name: .customLong("metrics-hostname"), help: "The address for --metrics-port (default 127.0.0.1).")
    var metricsHostname: String?

    func run() async throws {
        try await Runtime.run(options) { runtime in
            if let concurrency, concurrency < 1 { throw UsageError("--concurrency must be at least 1") }
            if let port = metricsPort, !(1...65_535).contains(port) { throw UsageError("--metrics-port must be between 1 and 65535") }
            let services = runtime.services
            _ = try await runtime.migratedDatabase()
            var parts: [any Service] = []
            if let port = metricsPort {
                do {
                    let listener = try await MetricsListener.start(scrape: services.metricsScrape, limits: services.settings.http,
                                                                   hostname: metricsHostname ?? "127.0.0.1", port: port,
                                                                   eventLoopGroup: runtime.eventLoopGroup, logger: runtime.logger)
                    parts.append(StopsOnShutdown(stop: listener.stop))
                } catch let error as MetricsListenerError {
                    throw UsageError(error.description)
                }
            }
            let (logger, concurrency, queue) = (runtime.logger, concurrency, queue)
            parts.append(WorkerService(start: { services.startWorker(logger: logger, concurrency: concurrency, queue: queue) }))
            try await runtime.runUntilSignalled(parts)
        }
    }
}
