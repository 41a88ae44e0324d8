import Vapor
import Verification

func routes(_ app: Application, services: AppServices) throws {
    let settings = services.settings
    try app.register(collection: AccountController(
        accounts: services.accounts, passwords: services.passwords, unknownUserPasswordHash: services.unknownUserPasswordHash,
        sessionKeys: services.sessionKeys, sessionLifetime: settings.jwtExpiration, deliveries: services.deliveries,
        rateLimited: { scope in
            settings.authRateLimit.map {
                [RateLimitMiddleware(scope: scope, limit: $0, table: services.tables.rateLimits, clientHeader: settings.rateLimitClientHeader,
                                     trustedHops: settings.rateLimitTrustedProxies, clock: services.clock)]
            } ?? []
        },
        clock: services.clock))
    try app.register(collection: EmailController(
        sessions: SessionAuthenticator(keys: services.sessionKeys), changes: services.emailChanges, verifier: services.emailVerifier,
        activation: services.addressActivation, codes: services.codeConfirmations, metrics: services.metrics,
        legacyGetVerify: services.settings.legacyGetVerify, defaultLanguage: services.settings.mail.defaultLanguage))
    try app.register(collection: RevertController(links: services.revertLinks, reverts: services.addressRevert, metrics: services.metrics,
                                                  clock: services.clock))
    try app.register(collection: HealthController(settings: services.settings))
    try app.register(collection: MetricsController(scrape: services.metricsScrape))
    // The public directory's files answer the GETs no API route takes. Behind the router rather than as global
    // middleware: FileMiddleware looks each path up on a thread pool, a hop the API's requests need not pay.
    app.grouped(StaticPathGuard(), FileMiddleware(publicDirectory: services.settings.publicDirectory)).get("**") { _ -> Response in
        throw Abort(.notFound)
    }
}

/// Refuses a static path with a NUL or another control character once percent-decoded: the file system stops
/// at the NUL while the content type is taken from what follows it (`/openapi.yaml%00.html` as HTML).
struct StaticPathGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path.removingPercentEncoding ?? request.url.path
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError.detail("路径中不能有控制字符。", status: .badRequest)
        }
        return try await next.respond(to: request)
    }
}
