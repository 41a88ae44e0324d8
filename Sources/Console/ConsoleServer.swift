import API
import Hummingbird
import Logging
import NIOCore
import Verification

/// The operator's console on a listener of its own (`serve --console-port`), never on the API's: staff sign in with
/// their password and see the mail, look up an address, retry dead jobs and lift suppressions. The same server type
/// and connection limits as the API's.
package enum ConsoleServer {
    package static func make(services: AppServices, database: RequestDatabase, hostname: String, port: Int,
                             eventLoopGroup: any EventLoopGroup, logger: Logger) -> some ApplicationProtocol {
        limitedApplication(router: router(services: services, database: database), limits: services.settings.http, hostname: hostname,
                           port: port, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    static func router(services: AppServices, database: RequestDatabase) -> Router<ConsoleRequestContext> {
        let settings = services.settings
        let language = settings.mail.defaultLanguage
        let router = Router(context: ConsoleRequestContext.self)
        router.add(middleware: ConsoleHeaders())
        router.get("console/console.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Layout.styleSheet)))
        }
        let clients = ClientIdentification(header: settings.rateLimitClientHeader, trustedHops: settings.rateLimitTrustedProxies)
        let signIn = SignInController(
            staff: services.staff, sessions: services.consoleSessions, audit: services.consoleAudit, signOuts: services.consoleSignOuts,
            database: database,
            rateLimit: settings.authRateLimit.map {
                RateLimitMiddleware(database: database, scope: "console-sign-in", limit: $0, table: services.tables.rateLimits, clients: clients,
                                    clock: services.clock)
            },
            language: language, clock: services.clock)
        signIn.addRoutes(to: router)
        let signedIn = router.group().add(middleware: StaffSession(sessions: services.consoleSessions, staff: services.staff,
                                                                   signOuts: services.consoleSignOuts, database: database, language: language))
        signIn.addSignedInRoutes(to: signedIn)
        ConsoleController(database: database, jobs: services.jobQueue, activity: services.mailActivity, history: services.addressHistory,
                          retries: services.deadMailRetry, suppressions: services.suppressions, accounts: services.accounts, audit: services.consoleAudit,
                          language: language, clock: services.clock).addRoutes(to: signedIn)
        return router
    }
}
