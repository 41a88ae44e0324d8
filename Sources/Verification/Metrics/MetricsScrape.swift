import ConstantTime
import JobQueue
import SMTPClient

/// What a scrape of `/metrics` answers, on whichever server: the registry in Prometheus' text format, with the
/// queue depth read from the database and the SMTP sessions open now; behind `METRICS_TOKEN` when one is set.
package struct MetricsScrape: Sendable {
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let metrics: ServiceMetrics
    let jobs: JobQueue
    let smtpPool: SMTPConnectionPool?
    let token: String?

    package init(metrics: ServiceMetrics, jobs: JobQueue, smtpPool: SMTPConnectionPool?, token: String?) {
        self.metrics = metrics
        self.jobs = jobs
        self.smtpPool = smtpPool
        self.token = token
    }

    /// Whether a request with this bearer token may scrape.
    package func permits(bearer: String?) -> Bool {
        guard let token else { return true }
        return ConstantTime.equal(Array((bearer ?? "").utf8), Array(token.utf8))
    }

    /// The registry's text; when the database does not answer, `meiduo_database_up` says so and the rest is still
    /// answered (an alert needs the scrape to succeed).
    package func text() async throws -> String {
        do {
            metrics.queueDepth(try await jobs.countsByState())
            metrics.oldestAvailableAge(seconds: try await jobs.oldestDueAge())
            metrics.databaseUp(true)
        } catch {
            metrics.databaseUp(false)
        }
        if let smtpPool { metrics.smtpConnections(await smtpPool.openConnections) }
        return metrics.registry.emitToString()
    }
}
