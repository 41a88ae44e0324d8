import HTTPTypes
import Hummingbird

/// CORS for the origins in `CORS_ALLOWED_ORIGINS`: a preflight from one of them is answered 200 with the methods
/// and headers the API takes; every other answer to one of them says it may read it, errors included, and may read
/// `Retry-After`. Any other origin gets no CORS header. (Hummingbird's own answers preflights 204 and takes its
/// allowed origins one by one in code.)
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>

    static var allowedMethods: String { "GET, PUT, PATCH, POST, OPTIONS" }
    static var allowedHeaders: String { "Accept, Authorization, Content-Type, Origin" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], allowedOrigins.contains(origin) else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .ok, headers: [.accessControlAllowMethods: Self.allowedMethods,
                                                       .accessControlAllowHeaders: Self.allowedHeaders])
        } else {
            response = try await next(request, context)
            response.headers[.accessControlExposeHeaders] = "Retry-After"
        }
        response.headers[.accessControlAllowOrigin] = origin
        return response
    }
}
