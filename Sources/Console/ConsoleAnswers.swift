import HTTPTypes
import Hummingbird

/// The console's answers: pages never cached, redirects after a form (so a reload sends nothing again), cookies
/// held to the console's path, HttpOnly and SameSite=Strict, Secure when a proxy says the request came over https.
enum ConsoleAnswers {
    static let sessionCookie = "meiduo_console"
    static let signInCookie = "meiduo_console_sign_in"
    static let path = "/console"

    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// 403 for a form without its CSRF token, or sent without a staff session.
    static func formRefused(_ text: ConsoleText) -> Response {
        page(Layout(text: text, session: nil).page(text.signIn, "<p class=\"error\">\(text.forbiddenForm)</p>"
            + "<p><a href=\"/console/sign-in\">\(text.signIn)</a></p>"), status: .forbidden)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int, request: Request) -> Cookie {
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The console's own policy: nothing but its own style sheet, no script at all, forms only to itself.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"
}

/// The console's security headers on every answer.
struct ConsoleHeaders: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = ConsoleAnswers.contentSecurityPolicy
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}
