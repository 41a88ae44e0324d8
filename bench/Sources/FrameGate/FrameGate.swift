import API
import App
import Verification
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeiduoTokens
import NIOCore
import NIOPosix
import SQLKit

/// The gate before the move to Hummingbird 2: `/healthz` and the seed's `GET /emails/verification/?token=` on
/// Hummingbird's server and router, over the service's own settings, database setup, token check, activation,
/// delivery log and metrics, with the headers every answer of the service carries (the API's `ExposureHeaders`)
/// and its connection limits. `bench/frame-gate` runs it beside `meiduo serve` on the same database and measures
/// both. Not shipped.
@main
struct FrameGate {
    static func main() async throws {
        // As `meiduo` does: handlers run on the event loops, not hopping to Swift's cooperative pool and back.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let arguments = CommandLine.arguments
        let port = arguments.count > 1 ? Int(arguments[1]) ?? 8090 : 8090
        var logger = Logger(label: "frame-gate")
        logger.logLevel = .warning
        let settings = try Settings.load(from: ProcessInfo.processInfo.environment, production: true)
        let group = MultiThreadedEventLoopGroup.singleton
        let databases = Databases(threadPool: .singleton, on: group)
        try await DatabaseSetup.configure(databases, logger: logger, url: settings.databaseURL,
                                          maxConnections: settings.databaseMaxConnections,
                                          statementTimeout: settings.databaseStatementTimeout, open: true)
        let metrics = ServiceMetrics()
        let verifier = EmailVerifier(settings: settings, clock: Date.init)
        let activation = AddressActivation(settings: settings, metrics: metrics, clock: Date.init)

        let router = Router()
        // Outermost, so that refusals (answered by ExposureHeaders) are counted too.
        router.add(middleware: RequestMetrics(metrics: metrics))
        router.add(middleware: ExposureHeaders(corsInUse: false))
        router.get("healthz") { _, _ in JSONAnswer(.ok, [("message", .string("ok"))]) }
        router.get("emails/verification") { request, context -> JSONAnswer in
            guard let token = request.uri.queryParameters.get("token"), !token.isEmpty else {
                throw JSONAnswer(.badRequest, [("message", .string("缺少token"))])
            }
            guard let claims = try? verifier.claims(in: token) else { throw JSONAnswer(.badRequest, [("message", .string("无效token"))]) }
            let database = databases.sql(logger: context.logger, on: group.any())
            guard try await activation.activate(claims, method: "legacy_get", on: database, logger: context.logger) != .addressReplaced else {
                throw JSONAnswer(.badRequest, [("message", .string("无效token"))])
            }
            return JSONAnswer(.ok, [("message", .string("OK"))])
        }
        let http = settings.http
        let app = Hummingbird.Application(
            router: router,
            server: .http1(requestTimeout: .seconds(Int64(http.headerTimeout)), keepAliveTimeout: .seconds(Int64(http.keepAliveTimeout))),
            configuration: .init(address: .hostname("127.0.0.1", port: port), availableConnectionsDelegate: .maximum(http.connectionCap, logger: logger)),
            logger: logger)
        try await app.runService()
        await databases.shutdownAsync()
    }
}

/// The request metrics, as the service's middleware counts them.
private struct RequestMetrics<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                        status: UInt(response.status.code), duration: started.duration(to: .now))
        return response
    }
}
