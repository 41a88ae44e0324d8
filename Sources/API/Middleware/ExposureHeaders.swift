import HTTPTypes
import Hummingbird

/// Headers that keep what a response carries where it belongs. The verification page's URL holds a token: no
/// `Referer` may take it elsewhere, and no other site may frame the page. API answers are data, never a document
/// to render. With CORS in use, every answer says it varies by `Origin`, so a cache never hands one origin's answer
/// to another.
package struct ExposureHeaders<Context: RequestContext>: RouterMiddleware {
    let corsInUse: Bool

    package init(corsInUse: Bool) {
        self.corsInUse = corsInUse
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let isPage = response.headers[.contentType]?.hasPrefix("text/html") == true
        response.headers[.contentSecurityPolicy] = isPage ? ExposurePolicy.page : ExposurePolicy.api
        response.headers[ExposurePolicy.referrerPolicy] = "no-referrer"
        response.headers[ExposurePolicy.contentTypeOptions] = "nosniff"
        response.headers[ExposurePolicy.frameOptions] = "DENY"
        if corsInUse && !response.headers[values: .vary].contains(where: { $0.lowercased().contains("origin") }) {
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        return response
    }
}

/// The policies themselves, shared by every server of the binary. The page runs its own inline script and style
/// and may call an API on another origin (`meiduo-api-base`).
package enum ExposurePolicy {
    package static let page = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src *; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    package static let api = "default-src 'none'; frame-ancestors 'none'"
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
}
