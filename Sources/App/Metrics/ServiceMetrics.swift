import JobQueue
import Prometheus
import Vapor

/// The service's Prometheus metrics, one registry per application (served at `/metrics`).
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let latencyBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                     .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                     .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    func request(route: String, method: String, status: UInt, duration: Duration) {
        registry.makeCounter(name: "meiduo_http_requests_total", labels: [("route", route), ("method", method), ("status", "\(status)")],
                             help: "HTTP requests by route, method and status").increment()
        registry.makeDurationHistogram(name: "meiduo_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: Self.latencyBuckets, help: "HTTP request latency by route").record(duration)
    }

    /// The verification funnel: mails queued, mails sent, addresses verified.
    func funnel(_ step: String) {
        registry.makeCounter(name: "meiduo_verification_funnel_total", labels: [("step", step)],
                             help: "Verification funnel: queued, sent, verified").increment()
    }

    func job(kind: String, outcome: JobOutcome, seconds: Double) {
        registry.makeCounter(name: "meiduo_jobs_processed_total", labels: [("kind", kind), ("outcome", outcome.rawValue)],
                             help: "Job runs by outcome: completed, retried, dead").increment()
        registry.makeDurationHistogram(name: "meiduo_job_duration_seconds", labels: [("kind", kind)],
                                       buckets: Self.latencyBuckets, help: "Time to run a job").record(.milliseconds(Int64(seconds * 1000)))
    }

    func jobEnqueued(kind: String) {
        registry.makeCounter(name: "meiduo_jobs_enqueued_total", labels: [("kind", kind)], help: "Jobs enqueued").increment()
    }

    func mailSend(backend: String, duration: Duration, failure: String?) {
        registry.makeDurationHistogram(name: "meiduo_mail_send_duration_seconds", labels: [("backend", backend)],
                                       buckets: Self.latencyBuckets, help: "Time to hand one message to the transport").record(duration)
        if let failure {
            registry.makeCounter(name: "meiduo_mail_send_errors_total", labels: [("backend", backend), ("class", failure)],
                                 help: "Failed sends by class: transient or permanent").increment()
        }
    }

    func queueDepth(_ counts: [JobState: Int]) {
        for (state, count) in counts {
            registry.makeGauge(name: "meiduo_jobs", labels: [("state", state.rawValue)], help: "Jobs in the queue by state").set(to: Double(count))
        }
    }

    func smtpConnections(_ open: Int) {
        registry.makeGauge(name: "meiduo_smtp_pool_connections", help: "Open pooled SMTP sessions").set(to: Double(open))
    }
}

extension Application {
    private struct MetricsKey: StorageKey {
        typealias Value = ServiceMetrics
    }

    var metrics: ServiceMetrics {
        get { storage[MetricsKey.self]! }
        set { storage[MetricsKey.self] = newValue }
    }
}

/// Counts and times every request by its route pattern (`emails/verification`, not the query), after the error
/// middleware has turned failures into responses.
struct MetricsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        request.application.metrics.request(route: route, method: request.method.rawValue, status: response.status.code,
                                            duration: started.duration(to: .now))
        return response
    }
}
