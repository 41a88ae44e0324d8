import Foundation
import NIOCore
import NIOPosix
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import API
@testable import App
@testable import Verification

/// A worker's `--metrics-port`: Hummingbird's server with the API's limits, `/healthz` and `/metrics` only, the
/// metrics behind `METRICS_TOKEN`, and the exposure headers on every answer.
struct WorkerMetricsListenerTests {
    static let token = "scrape-token-0123456789"

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    static func get(_ url: String, bearer: String? = nil) async throws -> (status: Int, header: (String) -> String?, body: String) {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, { http.value(forHTTPHeaderField: $0) }, String(decoding: data, as: UTF8.self))
    }

    @Test func healthzAndTheMetricsBehindTheirToken() async throws {
        try await withMeiduo({ $0.metricsToken = Self.token }) { app in
            let port = try await Self.freePort()
            let listener = try await MetricsListener.start(scrape: app.services.metricsScrape, limits: app.services.settings.http,
                                                           hostname: "127.0.0.1", port: port, eventLoopGroup: app.eventLoopGroup, logger: app.logger)
            let base = "http://127.0.0.1:\(port)"
            let health = try await Self.get(base + "/healthz")
            #expect(health.status == 200 && health.body == #"{"message":"ok"}"#)
            #expect(health.header("X-Frame-Options") == "DENY")
            let refused = try await Self.get(base + "/metrics", bearer: "wrong")
            #expect(refused.status == 401 && refused.body == #"{"detail":"身份认证信息未提供。"}"#)
            #expect(refused.header("WWW-Authenticate") == #"Bearer realm="metrics""#)
            #expect(refused.header("Content-Security-Policy") == ExposurePolicy.api, "errors carry the exposure headers too")
            let scraped = try await Self.get(base + "/metrics", bearer: Self.token)
            #expect(scraped.status == 200)
            #expect(scraped.body.contains(#"meiduo_jobs{state="available"}"#), "the queue depth is read at the scrape")
            #expect(scraped.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            await listener.stop()
        }
    }

    @Test func aPortInUseIsRefusedInOneLine() async throws {
        try await withMeiduo { app in
            let port = try await Self.freePort()
            let start = {
                try await MetricsListener.start(scrape: app.services.metricsScrape, limits: app.services.settings.http,
                                                hostname: "127.0.0.1", port: port, eventLoopGroup: app.eventLoopGroup, logger: app.logger)
            }
            let first = try await start()
            await #expect { _ = try await start() } throws: { error in
                (error as? MetricsListenerError)?.description.contains("--metrics-port \(port): cannot listen on 127.0.0.1:\(port)") == true
            }
            await first.stop()
        }
    }
}
