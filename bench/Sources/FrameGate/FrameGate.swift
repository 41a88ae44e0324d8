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
import PythonJSON
import SQLKit

/// The gate before the move to Hummingbird 2: `/healthz` and the seed's `GET /emails/verification/?token=` on
/// Hummingbird's server and router, over the service's own settings, database setup, token check, activation,
/// delivery log and metrics, with the headers every answer of the service carries and its connection limits. `bench/frame-gate` runs it
/// beside `meiduo serve` on the same database and measures both. Not shipped.
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
        try await DatabaseSetup.configure(databases, eventLoopGroup: group, logger: logger, url: settings.databaseURL,
                                          maxConnections: settings.databaseMaxConnections,
                                          statementTimeout: settings.databaseStatementTimeout, open: true)
        let metrics = ServiceMetrics()
        let verifier = EmailVerifier(settings: settings, clock: Date.init)
        let activation = AddressActivation(settings: settings, metrics: metrics, clock: Date.init)

        let router = Router()
        router.add(middleware: ServiceHeaders(metrics: metrics))
        router.get("healthz") { _, _ in json(.ok, [("message", .string("ok"))]) }
        router.get("emails/verification") { request, context -> Response in
            guard let token = request.uri.queryParameters.get("token"), !token.isEmpty else {
                return json(.badRequest, [("message", .string("缺少token"))])
            }
            guard let claims = try? verifier.claims(in: token) else { return json(.badRequest, [("message", .string("无效token"))]) }
            let database = databases.sql(logger: context.logger, on: group.any())
            guard try await activation.activate(claims, method: "legacy_get", on: database, logger: context.logger) != .addressReplaced else {
                return json(.badRequest, [("message", .string("无效token"))])
            }
            return json(.ok, [("message", .string("OK"))])
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

private func json(_ status: HTTPResponse.Status, _ members: [(String, CompactJSON.Value)]) -> Response {
    Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(string: CompactJSON.value(.object(members)))))
}

/// What the service's middleware adds to every answer: the exposure headers and the request metrics.
private struct ServiceHeaders<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
                        status: UInt(response.status.code), duration: started.duration(to: .now))
        return response
    }
}
