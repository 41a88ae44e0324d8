import API
import Hummingbird
import Verification

/// Lets a request through only with a session cookie this service signed (with `SECRET_KEY`), unexpired, not
/// signed out, for an account that is staff now; a page asked for without one is sent to the sign-in page, a form
/// refused with 403. A form must also carry the session's CSRF token (403 without it).
struct StaffSession: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let sessions: ConsoleSessions
    let staff: StaffDirectory
    let signOuts: ConsoleSignOuts
    let database: RequestDatabase
    let language: MailLanguage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let database = database(context)
        var claims = request.cookies[ConsoleAnswers.sessionCookie].flatMap { sessions.claims(in: $0.value) }
        if let nonce = claims?.nonce, try await signOuts.isSignedOut(nonce: nonce, on: database) { claims = nil }
        let member = if let claims { try await staff.member(id: claims.userID, on: database) } else { StaffMember?.none }
        guard let claims, let member else {
            if request.method == .get || request.method == .head { return ConsoleAnswers.redirect("/console/sign-in") }
            return refused(request)
        }
        var request = request
        if request.method == .post {
            let form = try await ConsoleForm.read(&request, context: context)
            guard sessions.isValid(csrfToken: form["csrf"], nonce: claims.nonce) else {
                context.logger.notice("console form refused: CSRF token missing or wrong", metadata: ["actor": "\(member.username)"])
                return refused(request)
            }
        }
        context.session = (member, sessions.csrfToken(nonce: claims.nonce), claims.nonce)
        return try await next(request, context)
    }

    private func refused(_ request: Request) -> Response {
        ConsoleAnswers.formRefused(ConsoleText.forRequest(acceptLanguage: request.headers[.acceptLanguage], fallback: language))
    }
}
