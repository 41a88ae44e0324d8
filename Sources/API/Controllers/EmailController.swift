import Foundation
import Hummingbird
import MeiduoTokens
import SQLKit
import Verification

/// Setting the address (`PUT /email/`) and verifying it: the page reads a link's state without changing anything
/// (`GET /emails/verification/status/`) and its button confirms (`POST /emails/verification/`); the seed's
/// `GET /emails/verification/?token=` verifies too unless `LEGACY_GET_VERIFY=false`.
struct EmailController {
    let database: RequestDatabase
    let sessions: SessionAuthenticator
    let changes: EmailChanges
    let verifier: EmailVerifier
    let activation: AddressActivation
    let codes: CodeConfirmations
    let passwordCheck: PasswordCheck
    let relay: RelayCapabilities
    /// Wrong codes per account and per client per day (`VERIFY_CODE_DAILY_FAILURES`).
    let guesses: CodeGuessLimit
    /// The links whose page loaded, for the funnel.
    let linkOpens: LinkOpens
    let clients: ClientIdentification
    let clock: @Sendable () -> Date
    let metrics: ServiceMetrics
    let legacyGetVerify: Bool
    let defaultLanguage: MailLanguage

    static let missingToken = "缺少token"
    static let invalidToken = "无效token"
    /// 422: mail to the address hard-bounced within `SUPPRESS_DAYS`, or its recipient reported a mail as spam;
    /// another address is never blocked.
    static func suppressed(_ bounce: Suppressions.Entry) -> APIError {
        let day = bounce.date.formatted(.iso8601.year().month().day())
        if bounce.isComplaint {
            return APIError.message("该邮箱的收件人于 \(day) 将本站邮件举报为垃圾邮件，不再向它发送邮件；请换一个邮箱地址，或联系客服。",
                                    code: "complained", status: .unprocessableContent)
        }
        return APIError.message("发往该邮箱的邮件于 \(day) 被退回（\(bounce.status)），暂不能再向它发送验证邮件；请换一个邮箱地址，或联系客服。",
                                code: "bounced", status: .unprocessableContent)
    }

    static let wrongPassword = "密码错误。"
    static let passwordRequired = "该账户的邮箱刚被恢复：修改邮箱需要提供账户密码（password）。"

    static let legacyGetOff = "此链接须在验证页面上点击“确认”完成验证：请打开邮件中的链接（POST /emails/verification/）。"

    func addRoutes(to routes: RouteTable) {
        routes.on(.put, "email", through: [sessions], use: change)
        routes.on(.patch, "email", through: [sessions], use: change)
        routes.on(.get, "emails/verification", use: verifyByGet)
        routes.on(.get, "emails/verification/status", use: status)
        routes.on(.post, "emails/verification", use: confirm)
    }

    /// Stores the address as unverified and queues the verification mail, both or neither; when a verified
    /// address is replaced by another, a notice to the old one is queued with them (`AddressChange`).
    /// A second change within `VERIFY_EMAIL_RESEND_INTERVAL` is refused with 429 and `Retry-After`.
    @Sendable func change(request: Request, context: APIRequestContext) async throws -> EmailChangeResponse {
        let form = try await FormFields.decode(from: request, context: context)
        var ignored = FieldErrors()
        // Only for an address that needs it: is the relay asked whether it takes one beyond ASCII.
        let unicode = try await form.text("email", required: false, into: &ignored).map(EmailAddress.hasNonASCIILocalPart) == true
            ? relay.offersSMTPUTF8(logger: context.logger) : false
        let input = try EmailChangeRequest(form: form, unicodeLocalPart: unicode)
        let session = try context.requireSession()
        let language = input.language ?? MailLanguage.preferred(acceptLanguage: request.headers[.acceptLanguage]) ?? defaultLanguage
        let database = database(context)
        var passwordConfirmed = false
        if let password = input.password {
            guard try await passwordCheck.matches(password, userID: session.userID, on: database, logger: context.logger) else {
                throw APIError.fields([("password", [Self.wrongPassword])])
            }
            passwordConfirmed = true
        }
        switch try await changes.change(userID: session.userID, to: input.email, language: language, passwordConfirmed: passwordConfirmed,
                                        on: database) {
        case .suppressed(let bounce): throw Self.suppressed(bounce)
        case .changed(.changed), .changed(.unchanged): return EmailChangeResponse(id: session.userID, email: input.email)
        case .changed(.passwordRequired): throw APIError.fields([("password", [Self.passwordRequired])])
        case .changed(.throttled(let seconds)): throw APIError.throttled(seconds: seconds)
        case .changed(.recipientThrottled(let seconds)):
            throw APIError(status: .tooManyRequests, body: .detail("该邮箱地址最近已收到过验证邮件，请 \(seconds) 秒后再试。"),
                           headers: [.retryAfter: String(seconds)])
        case .changed(.noSuchUser): throw SessionAuthenticator.userNotFound
        case .changed(.contended): throw APIError.detail("该账户正被其他请求同时修改，请稍后重试。", status: .conflict)
        }
    }

    /// The seed's view: 400 `缺少token`, 400 `无效token`, or 200 `OK` once the token's user still has the token's
    /// address. Whatever fetches the link verifies — a mail scanner too; `LEGACY_GET_VERIFY=false` answers 410.
    @Sendable func verifyByGet(request: Request, context: APIRequestContext) async throws -> MessageResponse {
        guard legacyGetVerify else {
            throw APIError.message(Self.legacyGetOff, code: "use_post", status: .gone)
        }
        // The seed's bodies exactly: no `code`.
        guard let token = QueryString.value(of: "token", in: request.uri.query), !token.isEmpty else {
            throw APIError.message(Self.missingToken)
        }
        let claims: EmailVerificationClaims
        do { claims = try verifier.claims(in: token) } catch {
            context.logger.info("verification token refused: \(error)")
            throw APIError.message(Self.invalidToken)
        }
        guard try await activate(claims, method: "legacy_get", context: context) != .addressReplaced else {
            throw APIError.message(Self.invalidToken)
        }
        return MessageResponse(message: "OK")
    }

    /// What the page shows on load: the link's address and whether it is verified, or why the link cannot verify.
    /// Changes nothing of the account; the link's first opening is recorded for the console's funnel.
    @Sendable func status(request: Request, context: APIRequestContext) async throws -> LinkStatusResponse {
        metrics.verificationLinkViewed()
        let token = try Self.token(QueryString.value(of: "token", in: request.uri.query))
        let (claims, active) = try await current(token, context: context)
        await linkOpens.opened(token: token, address: claims.email, at: clock(), on: database(context), logger: context.logger)
        return LinkStatusResponse(email: claims.email, state: active ? "verified" : "pending")
    }

    /// The page's button: `{"token": …}` verifies the link's address. Or the code typed into the shop's form:
    /// `{"code": …}` with the user's session verifies the address the latest mail went to.
    @Sendable func confirm(request: Request, context: APIRequestContext) async throws -> ConfirmationResponse {
        var errors = FieldErrors()
        let form = try await FormFields.decode(from: request, context: context)
        if let code = form.text("code", required: false, into: &errors), !code.isEmpty {
            return try await confirm(code: code, request: request, context: context)
        }
        let given = form.text("token", into: &errors)
        let (claims, _) = try await current(try Self.token(given), context: context)
        return try await confirmation(claims, method: "button", context: context)
    }

    private func confirm(code: String, request: Request, context: APIRequestContext) async throws -> ConfirmationResponse {
        let session = try await sessions.session(of: request, context: context)
        guard code.utf8.count == 6, code.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw CodeAttempt.malformedRefusal
        }
        let database = database(context)
        let counted = try await guesses.reserve(userID: session.userID, client: clients.bucket(of: request, context: context), at: clock(),
                                                on: database)
        if let retryAfter = counted.retryAfter {
            try await guesses.refund(counted, on: database)
            context.logger.notice("verification code guesses refused for today", metadata: ["user_id": "\(session.userID)"])
            throw APIError.throttled(seconds: retryAfter)
        }
        let outcome = try await codes.confirm(code, userID: session.userID, on: database)
        switch outcome {
        case .wrongCode, .tooManyTries: break
        default: try await guesses.refund(counted, on: database)
        }
        switch outcome {
        case .confirmed(let claims): return try await confirmation(claims, method: "code", context: context)
        case .alreadyVerified: return ConfirmationResponse(state: "already_verified")
        case .expired: throw CodeAttempt.expiredRefusal
        case .tooManyTries: throw CodeAttempt.tooManyTriesRefusal
        case .addressChanged: throw LinkVerification.addressChanged.refusal
        case .wrongCode(let triesLeft): throw CodeAttempt.wrongCode(triesLeft: triesLeft)
        case .noSuchUser: throw SessionAuthenticator.userNotFound
        }
    }

    /// Verifies the claims' address and answers as a confirmation does, whichever way it came.
    private func confirmation(_ claims: EmailVerificationClaims, method: String, context: APIRequestContext) async throws -> ConfirmationResponse {
        switch try await activate(claims, method: method, context: context) {
        case .activated: return ConfirmationResponse(state: "verified")
        case .alreadyActive: return ConfirmationResponse(state: "already_verified")
        case .addressReplaced: throw LinkVerification.addressChanged.refusal
        }
    }

    /// The token given, or 400 `缺少token`.
    static func token(_ value: String?) throws -> String {
        guard let value, !value.isEmpty else { throw APIError.message(missingToken, code: "missing") }
        return value
    }

    /// The link's claims and whether their address is verified, or the 400 that says why the link cannot verify.
    private func current(_ token: String, context: APIRequestContext) async throws -> (claims: EmailVerificationClaims, active: Bool) {
        let claims: EmailVerificationClaims
        do { claims = try verifier.claims(in: token) } catch {
            context.logger.info("verification token refused: \(error)")
            throw LinkVerification.decide(token: error).refusal
        }
        let active = try await activation.isActive(claims, on: database(context))
        guard let active else { throw LinkVerification.addressChanged.refusal }
        return (claims, active)
    }

    private func activate(_ claims: EmailVerificationClaims, method: String, context: APIRequestContext) async throws -> AccountAddress.Activation {
        try await activation.activate(claims, method: method, on: database(context), logger: context.logger)
    }
}
