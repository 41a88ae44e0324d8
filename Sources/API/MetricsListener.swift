import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Verification

/// A worker's own `/metrics` and `/healthz` (`meiduo worker --metrics-port`): Hummingbird's server with the same
/// connection limits as the API (`HTTPLimits`' deadlines, the connection maximum), serving those two routes and
/// nothing of the API, so a split deployment scrapes the jobs claimed, processed and dead, the mail send latency
/// and the SMTP sessions where they happen.
package struct MetricsListener: Sendable {
    private let running: Task<Void, any Error>

    /// Listens on `hostname:port` and returns once it does; throws what binding threw.
    package static func start(scrape: MetricsScrape, limits: HTTPServerSettings, hostname: String, port: Int,
                              eventLoopGroup: any EventLoopGroup, logger: Logger) async throws -> MetricsListener {
        let router = Router()
        router.add(middleware: ExposureHeaders(corsInUse: false))
        router.get("healthz") { _, _ in JSONAnswer(.ok, [("message", .string("ok"))]) }
        router.get("metrics", use: MetricsController(scrape: scrape).metrics)
        let (bound, signal) = AsyncStream.makeStream(of: Result<Void, any Error>.self)
        let app = limitedApplication(router: router, limits: limits, hostname: hostname, port: port, eventLoopGroup: eventLoopGroup,
                                     logger: logger, onServerRunning: { _ in signal.yield(.success(())) })
        let running = Task {
            do { try await app.run() } catch {
                signal.yield(.failure(error))
                throw error
            }
        }
        for await outcome in bound {
            do { try outcome.get() } catch {
                throw MetricsListenerError(description: "--metrics-port \(port): cannot listen on \(hostname):\(port) (\(error))")
            }
            break
        }
        logger.notice("worker metrics at http://\(hostname):\(port)/metrics")
        return MetricsListener(running: running)
    }

    package func stop() async {
        running.cancel()
        _ = await running.result
    }
}

package struct MetricsListenerError: Error, CustomStringConvertible {
    package var description: String
}
