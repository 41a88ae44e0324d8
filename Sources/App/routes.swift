import Vapor

func routes(_ app: Application, services: AppServices) throws {
    try app.register(collection: AccountController(services: services))
    try app.register(collection: EmailController(services: services))
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController(services: services))
    // The public directory's files answer the GETs no API route takes. Behind the router rather than as global
    // middleware: FileMiddleware looks each path up on a thread pool, a hop the API's requests need not pay.
    app.grouped(FileMiddleware(publicDirectory: services.settings.publicDirectory)).get("**") { _ -> Response in
        throw Abort(.notFound)
    }
}
