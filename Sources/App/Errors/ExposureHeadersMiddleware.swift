import API
import Vapor
import Verification

/// Headers that keep what a response carries where it belongs. The verification page's URL holds a token: no
/// `Referer` may take it elsewhere, and no other site may frame the page. API answers are data, never a document
/// to render. With CORS in use, every answer says it varies by `Origin`, so a cache never hands one origin's
/// answer to another.
struct ExposureHeadersMiddleware: AsyncMiddleware {
    let corsInUse: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let isPage = response.headers.contentType == .html
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: isPage ? ExposurePolicy.page : ExposurePolicy.api)
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        if corsInUse && !response.headers[.vary].contains(where: { $0.lowercased().contains("origin") }) {
            response.headers.add(name: .vary, value: "Origin")
        }
        return response
    }
}
