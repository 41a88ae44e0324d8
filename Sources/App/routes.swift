import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: AccountController(rateLimit: app.settings.authRateLimit,
                                                   rateLimitClientHeader: app.settings.rateLimitClientHeader))
    try app.register(collection: EmailController())
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())
}
