import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: AccountController(rateLimit: app.settings.authRateLimit,
                                                   rateLimitClientHeader: app.settings.rateLimitClientHeader))
    try app.register(collection: EmailController())
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())
    // The public directory's files answer the GETs no API route takes. Behind the router rather than as global
    // middleware: FileMiddleware looks each path up on a thread pool, a hop the API's requests need not pay.
    app.grouped(FileMiddleware(publicDirectory: app.settings.publicDirectory)).get("**") { _ -> Response in
        throw Abort(.notFound)
    }
}
