import Dispatch
import NIOConcurrencyHelpers
import API
import SQLKit
import Vapor
import Verification

/// `meiduo worker`: runs queue workers alone until SIGTERM or SIGINT, then stops gracefully.
struct WorkerCommand: AsyncCommand {
    let services: AppServices

    struct Signature: CommandSignature {
        @Option(name: "concurrency", short: "c", help: "Jobs run at once (default WORKER_CONCURRENCY, 4).")
        var concurrency: Int?
        @Option(name: "queue", short: "q", help: "The queue to work (default JOB_QUEUE, \"default\").")
        var queue: String?
        @Option(name: "metrics-port", help: "Serve this worker's /metrics and /healthz on this port (default: none).")
        var metricsPort: Int?
        @Option(name: "metrics-hostname", help: "The address for --metrics-port (default 127.0.0.1).")
        var metricsHostname: String?
    }

    var help: String {
        """
        Sends queued mail until SIGTERM/SIGINT, then stops gracefully; run as many as you like against one database.
        Environment: \(SettingsCatalog.names(readBy: .worker)) (see `meiduo settings`).
        """
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        if let concurrency = signature.concurrency, concurrency < 1 {
            throw UsageError("--concurrency must be at least 1")
        }
        if let port = signature.metricsPort, !(1...65_535).contains(port) {
            throw UsageError("--metrics-port must be between 1 and 65535")
        }
        try await Schema.state(accounts: services.settings.accounts).requireReady(context.application.db.sql)
        var metrics: MetricsListener?
        if let port = signature.metricsPort {
            do {
                metrics = try await MetricsListener.start(scrape: services.metricsScrape, limits: services.settings.http,
                                                          hostname: signature.metricsHostname ?? "127.0.0.1", port: port,
                                                          eventLoopGroup: context.application.eventLoopGroup, logger: context.application.logger)
            } catch let error as MetricsListenerError {
                throw UsageError(error.description)
            }
        }
        let running = services.startWorker(logger: context.application.logger, concurrency: signature.concurrency, queue: signature.queue)
        let received = await TerminationSignal.next()
        context.application.logger.notice("received signal \(received); stopping the worker")
        await running.stop()
        await metrics?.stop()
    }
}

/// Waits for the first SIGTERM or SIGINT.
enum TerminationSignal {
    /// Keeps the dispatch sources alive while waiting; written once before any handler can run.
    private final class Sources: @unchecked Sendable {
        var sources: [any DispatchSourceSignal] = []
    }

    static func next() async -> Int32 {
        let holder = Sources()
        let received = await withCheckedContinuation { continuation in
            let resumed = NIOLockedValueBox(false)
            holder.sources = [SIGTERM, SIGINT].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    let first = resumed.withLockedValue { already in
                        defer { already = true }
                        return !already
                    }
                    if first { continuation.resume(returning: number) }
                }
                source.resume()
                return source
            }
        }
        holder.sources.forEach { $0.cancel() }
        return received
    }
}
