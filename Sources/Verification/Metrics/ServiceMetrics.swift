import JobQueue
import NIOConcurrencyHelpers
import Prometheus

/// The service's Prometheus metrics, one registry per application (served at `/metrics`).
package final class ServiceMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()
    /// Each route's request counter and latency histogram, looked up in the registry once rather than per request.
    private let requestMetrics = NIOLockedValueBox<[RequestKey: (count: Counter, latency: DurationHistogram)]>([:])

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: UInt
    }

    package init() {}
    private static let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                     .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                     .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    package func request(route: String, method: String, status: UInt, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let handles = requestMetrics.withLockedValue { known in
            if let handles = known[key] { return handles }
            let made = (count: registry.makeCounter(descriptor: Metric.httpRequests,
                                                    labels: [("route", route), ("method", method), ("status", "\(status)")]),
                        latency: registry.makeDurationHistogram(descriptor: Metric.httpRequestDuration, labels: [("route", route)],
                                                                buckets: Self.latencyBuckets))
            known[key] = made
            return made
        }
        handles.count.increment()
        handles.latency.record(duration)
    }

    /// The verification funnel: mails queued, mails sent, addresses verified.
    package func funnel(_ step: String) {
        registry.makeCounter(descriptor: Metric.funnel, labels: [("step", step)]).increment()
    }

    /// A verification by the page's button, by code, or by the seed's GET.
    package func confirmation(method: String) {
        registry.makeCounter(descriptor: Metric.confirmations, labels: [("method", method)]).increment()
    }

    package func revert() {
        registry.makeCounter(descriptor: Metric.reverts).increment()
    }

    package func wrongCode() {
        registry.makeCounter(descriptor: Metric.wrongCodes).increment()
    }

    /// A look at a link's state (the page on load, or anything that fetches it, mail scanners included).
    package func verificationLinkViewed() {
        registry.makeCounter(descriptor: Metric.linkViews).increment()
    }

    package func job(kind: String, outcome: JobOutcome, seconds: Double) {
        registry.makeCounter(descriptor: Metric.jobsProcessed, labels: [("kind", kind), ("outcome", outcome.rawValue)]).increment()
        registry.makeDurationHistogram(descriptor: Metric.jobDuration, labels: [("kind", kind)], buckets: Self.latencyBuckets)
            .record(.milliseconds(Int64(seconds * 1000)))
    }

    package func jobClaimed(kind: String) {
        registry.makeCounter(descriptor: Metric.jobsClaimed, labels: [("kind", kind)]).increment()
    }

    /// A mail's step recorded (`DeliveryState`).
    package func delivery(state: String) {
        registry.makeCounter(descriptor: Metric.deliveries, labels: [("state", state)]).increment()
    }

    /// A report `meiduo bounces` took, by what it said (`failed`, `delayed`, …, `unreadable`).
    package func bounceReport(outcome: String) {
        registry.makeCounter(descriptor: Metric.bounceReports, labels: [("outcome", outcome)]).increment()
    }

    /// A provider's webhook event, by provider and outcome: applied, duplicate, unmatched, ignored, refused.
    package func providerEvent(provider: String, outcome: String) {
        registry.makeCounter(descriptor: Metric.providerEvents, labels: [("provider", provider), ("outcome", outcome)]).increment()
    }

    package func jobEnqueued(kind: String) {
        registry.makeCounter(descriptor: Metric.jobsEnqueued, labels: [("kind", kind)]).increment()
    }

    package func mailSend(backend: String, duration: Duration, failure: String?) {
        registry.makeDurationHistogram(descriptor: Metric.mailSendDuration, labels: [("backend", backend)], buckets: Self.latencyBuckets)
            .record(duration)
        if let failure {
            registry.makeCounter(descriptor: Metric.mailSendErrors, labels: [("backend", backend), ("class", failure)]).increment()
        }
    }

    package func queueDepth(_ counts: [JobState: Int]) {
        for (state, count) in counts {
            registry.makeGauge(descriptor: Metric.jobs, labels: [("state", state.rawValue)]).set(to: Double(count))
        }
    }

    /// The oldest job that is due and not yet claimed: how long it has waited (0 when none waits).
    package func oldestAvailableAge(seconds: Double) {
        registry.makeGauge(descriptor: Metric.oldestAvailable).set(to: seconds)
    }

    /// Whether the last scrape could read the database.
    package func databaseUp(_ up: Bool) {
        registry.makeGauge(descriptor: Metric.databaseUp).set(to: up ? 1 : 0)
    }

    /// Whether the last readiness check (`/readyz`, or a scrape of the API's `/metrics`) passed.
    package func ready(_ ready: Bool) {
        registry.makeGauge(descriptor: Metric.ready).set(to: ready ? 1 : 0)
    }

    package func smtpConnections(_ open: Int) {
        registry.makeGauge(descriptor: Metric.smtpPoolConnections).set(to: Double(open))
    }

    /// The metrics' names (base name, then unit) and help texts; computed, as swift-prometheus's descriptor is not
    /// Sendable.
    private enum Metric {
        static var httpRequests: MetricNameDescriptor { .init(
            metricName: "meiduo_http_requests", unitName: "total", helpText: "HTTP requests by route, method and status") }
        static var httpRequestDuration: MetricNameDescriptor { .init(
            metricName: "meiduo_http_request_duration", unitName: "seconds", helpText: "HTTP request latency by route") }
        static var funnel: MetricNameDescriptor { .init(
            metricName: "meiduo_verification_funnel", unitName: "total", helpText: "Verification funnel: queued, sent, verified") }
        static var confirmations: MetricNameDescriptor { .init(
            metricName: "meiduo_verification_confirmations", unitName: "total", helpText: "Addresses verified, by method: button, code, legacy_get") }
        static var reverts: MetricNameDescriptor { .init(
            metricName: "meiduo_email_reverts", unitName: "total", helpText: "Replaced verified addresses put back by their owner's link") }
        static var wrongCodes: MetricNameDescriptor { .init(
            metricName: "meiduo_verification_wrong_codes", unitName: "total", helpText: "Verification codes typed wrong") }
        static var linkViews: MetricNameDescriptor { .init(
            metricName: "meiduo_verification_link_views", unitName: "total",
            helpText: "Verification pages shown (status reads); views beyond button confirmations are what scanners and undecided users do") }
        static var jobsProcessed: MetricNameDescriptor { .init(
            metricName: "meiduo_jobs_processed", unitName: "total", helpText: "Job runs by outcome: completed, retried, dead") }
        static var jobDuration: MetricNameDescriptor { .init(
            metricName: "meiduo_job_duration", unitName: "seconds", helpText: "Time to run a job") }
        static var jobsClaimed: MetricNameDescriptor { .init(
            metricName: "meiduo_jobs_claimed", unitName: "total", helpText: "Jobs claimed by this process's workers") }
        static var deliveries: MetricNameDescriptor { .init(
            metricName: "meiduo_mail_deliveries", unitName: "total", helpText: "Mail steps recorded, by delivery state") }
        static var bounceReports: MetricNameDescriptor { .init(
            metricName: "meiduo_bounce_reports", unitName: "total", helpText: "Bounce reports received, by what they said") }
        static var providerEvents: MetricNameDescriptor { .init(
            metricName: "meiduo_provider_events", unitName: "total", helpText: "Mail providers' webhook events, by provider and outcome") }
        static var jobsEnqueued: MetricNameDescriptor { .init(metricName: "meiduo_jobs_enqueued", unitName: "total", helpText: "Jobs enqueued") }
        static var mailSendDuration: MetricNameDescriptor { .init(
            metricName: "meiduo_mail_send_duration", unitName: "seconds", helpText: "Time to hand one message to the transport") }
        static var mailSendErrors: MetricNameDescriptor { .init(
            metricName: "meiduo_mail_send_errors", unitName: "total", helpText: "Failed sends by class: transient or permanent") }
        static var jobs: MetricNameDescriptor { .init(metricName: "meiduo_jobs", unitName: "", helpText: "Jobs in the queue by state") }
        static var oldestAvailable: MetricNameDescriptor { .init(
            metricName: "meiduo_jobs_oldest_available_age", unitName: "seconds", helpText: "How long the oldest due, unclaimed job has waited") }
        static var databaseUp: MetricNameDescriptor { .init(
            metricName: "meiduo_database_up", unitName: "", helpText: "1 when the last scrape could read the database") }
        static var ready: MetricNameDescriptor { .init(
            metricName: "meiduo_ready", unitName: "", helpText: "1 when the last readiness check (/readyz) passed") }
        static var smtpPoolConnections: MetricNameDescriptor { .init(
            metricName: "meiduo_smtp_pool", unitName: "connections", helpText: "Open pooled SMTP sessions") }
    }
}
