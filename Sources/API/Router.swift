import HTTPTypes
import Hummingbird
import Verification

/// The API's routes and middleware over the services given, each controller handed only the ones it uses.
/// Outermost first: the exposure headers (every answer carries them), CORS, the request log, the request metrics,
/// the error answers, then the public directory's files for the GETs no route takes.
package func buildRouter(services: AppServices, database: RequestDatabase, schema: SchemaState) -> Router<APIRequestContext> {
    let settings = services.settings
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ExposureHeaders(corsInUse: !settings.corsAllowedOrigins.isEmpty))
    if !settings.corsAllowedOrigins.isEmpty {
        router.add(middleware: CORSMiddleware(allowedOrigins: Set(settings.corsAllowedOrigins)))
    }
    let sessions = SessionAuthenticator(keys: services.sessionKeys,
                                        cutoff: SessionCutoff(accounts: services.accounts, lifetime: settings.jwtExpiration), database: database)
    let clients = ClientIdentification(header: settings.rateLimitClientHeader, trustedHops: settings.rateLimitTrustedProxies)
    router.add(middleware: RequestLogMiddleware(clients: clients))
    router.add(middleware: RequestMetricsMiddleware(metrics: services.metrics))
    let routes = RouteTable(router: router)
    router.add(middleware: APIErrorMiddleware(routeMethods: routes.methods))
    router.add(middleware: StaticPathGuard())
    // Behind every route: a path no route takes is looked up in the public directory (a hop to a thread pool the
    // API's own requests need not pay).
    router.add(middleware: FileMiddleware(settings.publicDirectory, searchForIndexHtml: false))

    AccountController(
        database: database, accounts: services.accounts, passwords: services.passwords,
        passwordSignIn: services.passwordSignIn, sessionKeys: services.sessionKeys, sessions: sessions,
        sessionLifetime: settings.jwtExpiration, deliveries: services.deliveries,
        rateLimited: { scope in
            settings.authRateLimit.map {
                RateLimitMiddleware(database: database, scope: scope, limit: $0, table: services.tables.rateLimits,
                                    clients: clients, clock: services.clock)
            }
        },
        clock: services.clock
    ).addRoutes(to: routes)
    EmailController(
        database: database, sessions: sessions, changes: services.emailChanges,
        verifier: services.emailVerifier, activation: services.addressActivation, codes: services.codeConfirmations,
        passwordCheck: PasswordCheck(accounts: services.accounts, passwords: services.passwords), relay: services.relayCapabilities,
        guesses: CodeGuessLimit(table: services.tables.rateLimits, dailyFailures: settings.verifyCodeDailyFailures), linkOpens: services.linkOpens,
        clients: clients,
        clock: services.clock,
        metrics: services.metrics, legacyGetVerify: settings.legacyGetVerify, defaultLanguage: settings.mail.defaultLanguage
    ).addRoutes(to: routes)
    RevertController(database: database, links: services.revertLinks, reverts: services.addressRevert, passwords: services.passwords,
                     metrics: services.metrics,
                     clock: services.clock).addRoutes(to: routes)
    let readiness = Readiness(settings: settings, schema: schema)
    HealthController(database: database, readiness: readiness, metrics: services.metrics).addRoutes(to: routes)
    MetricsController(scrape: services.metricsScrape, readiness: { context in
        services.metrics.ready(await readiness.check(on: database(context)) == .ready)
    }).addRoutes(to: routes)
    WebhookController(database: database, intake: services.providerEvents, settings: settings.webhooks,
                      certificates: SNSCertificates(caFile: settings.webhooks.sesCAFile), metrics: services.metrics,
                      clock: services.clock).addRoutes(to: routes)
    return router
}

/// Adds routes to the router and keeps which methods each path answers, for the 405's `Allow`.
final class RouteTable {
    private let router: Router<APIRequestContext>
    let methods = RouteMethods()

    init(router: Router<APIRequestContext>) {
        self.router = router
    }

    func on<Output: ResponseGenerator>(_ method: HTTPRequest.Method, _ path: String,
                                       through middleware: [any MiddlewareProtocol<Request, Response, APIRequestContext>] = [],
                                       use handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Output) {
        let group = router.group()
        for each in middleware { group.add(middleware: each) }
        group.on(RouterPath(path), method: method, use: handler)
        methods.add(method, path)
    }
}

/// Refuses a path with a NUL or another control character once percent-decoded: the file system stops at the NUL
/// while the content type is taken from what follows it (`/openapi.yaml%00.html` as HTML).
struct StaticPathGuard: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.utf8.contains(UInt8(ascii: "%")) {
            let decoded = path.removingPercentEncoding ?? path
            if decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw APIError.detail("路径中不能有控制字符。", status: .badRequest)
            }
        }
        return try await next(request, context)
    }
}
