import API
import Foundation
import Hummingbird
import Logging
import Verification

/// Signing in and out. The sign-in form comes with a cookie holding a nonce its CSRF token is bound to; sign-ins
/// are rate-limited as the API's are (`AUTH_RATE_LIMIT`), each counted before the password is compared.
struct SignInController {
    let staff: StaffDirectory
    let sessions: ConsoleSessions
    let audit: ConsoleAudit
    let signOuts: ConsoleSignOuts
    let database: RequestDatabase
    let rateLimit: RateLimitMiddleware<ConsoleRequestContext>?
    let language: MailLanguage
    let clock: @Sendable () -> Date

    func addRoutes(to router: Router<ConsoleRequestContext>) {
        router.get("console/sign-in", use: form)
        let signIn = router.group()
        if let rateLimit { signIn.add(middleware: rateLimit) }
        signIn.post("console/sign-in", use: signInPosted)
    }

    func addSignedInRoutes(to group: RouterGroup<ConsoleRequestContext>) {
        group.post("console/sign-out", use: signOut)
    }

    @Sendable func form(request: Request, context: ConsoleRequestContext) async throws -> Response {
        formPage(request, error: nil, status: .ok)
    }

    private func formPage(_ request: Request, error: String?, status: HTTPResponse.Status) -> Response {
        let nonce = ConsoleSessions.nonce()
        let layout = Layout(text: text(request), session: nil)
        var response = ConsoleAnswers.page(SignInPage(layout: layout, csrf: sessions.csrfToken(nonce: "sign-in|" + nonce), error: error).html,
                                           status: status)
        response.setCookie(ConsoleAnswers.cookie(ConsoleAnswers.signInCookie, nonce, maxAge: 3600, request: request))
        return response
    }

    @Sendable func signInPosted(request: Request, context: ConsoleRequestContext) async throws -> Response {
        var request = request
        let form = try await ConsoleForm.read(&request, context: context)
        let nonce = request.cookies[ConsoleAnswers.signInCookie]?.value ?? ""
        guard !nonce.isEmpty, sessions.isValid(csrfToken: form["csrf"], nonce: "sign-in|" + nonce) else {
            context.logger.notice("console sign-in refused: CSRF token missing or wrong")
            return ConsoleAnswers.formRefused(text(request))
        }
        let username = form["username"] ?? ""
        let database = database(context)
        switch try await staff.signIn(username: username, password: form["password"] ?? "", on: database, logger: context.logger) {
        case .badCredentials:
            context.logger.notice("console sign-in refused: wrong username or password")
            return formPage(request, error: text(request).badCredentials, status: .unauthorized)
        case .notStaff:
            context.logger.notice("console sign-in refused: the account is not staff")
            return formPage(request, error: text(request).notStaff, status: .forbidden)
        case .staff(let member):
            try await audit.record(member, action: "sign-in", target: "", at: clock(), on: database)
            context.logger.notice("console sign-in", metadata: ["actor": "\(member.username)"])
            var response = ConsoleAnswers.redirect("/console/")
            response.setCookie(ConsoleAnswers.cookie(ConsoleAnswers.sessionCookie, sessions.cookie(for: member),
                                                     maxAge: Int(ConsoleSessions.lifetime), request: request))
            response.setCookie(ConsoleAnswers.cookie(ConsoleAnswers.signInCookie, "", maxAge: 0, request: request))
            return response
        }
    }

    @Sendable func signOut(request: Request, context: ConsoleRequestContext) async throws -> Response {
        if let session = context.session {
            // Ended here, not only in this browser: a copy of the cookie stops working too.
            try await signOuts.signOut(nonce: session.nonce, at: clock(), on: database(context))
            try await audit.record(session.member, action: "sign-out", target: "", at: clock(), on: database(context))
            context.logger.notice("console sign-out", metadata: ["actor": "\(session.member.username)"])
        }
        var response = ConsoleAnswers.redirect("/console/sign-in")
        response.setCookie(ConsoleAnswers.cookie(ConsoleAnswers.sessionCookie, "", maxAge: 0, request: request))
        return response
    }

    private func text(_ request: Request) -> ConsoleText {
        ConsoleText.forRequest(acceptLanguage: request.headers[.acceptLanguage], fallback: language)
    }
}
