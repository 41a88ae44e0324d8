import Foundation
import JobQueue
import SQLKit

/// The seed's Celery task `send_verify_email`: the mail with the verification link for `{user_id, email}` and a
/// six-digit code; the token is minted and the code stored when the mail is made.
struct VerificationMail: MailTemplate {
    struct Payload: Codable, Sendable, Equatable {
        var userID: Int64
        var email: String
        /// The account that asked, named in the mail so that the address's owner knows whose request it is;
        /// absent in jobs queued before it was recorded.
        var username: String?
        /// Absent in jobs queued before it was recorded: those are sent in the default language.
        var language: MailLanguage?

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email
            case username
            case language
        }
    }

    /// What the templates `mail/verify_email_*.leaf` are given.
    struct Context: Encodable, Sendable {
        var siteName: String
        var email: String
        var username: String
        var link: String
        var expiresHours: Int64
        var code: String
        var codeMinutes: Int64
    }

    static let jobKind = "send_verify_email"
    static let templateName = "verify_email"
    static let messageIDPrefix = "verify-email"

    let verifier: EmailVerifier
    let settings: MailSettings
    let metrics: ServiceMetrics
    let tokenLifetime: Int64
    let codes: VerificationCodes
    let database: any SQLDatabase
    let clock: @Sendable () -> Date

    func recipient(of payload: Payload) -> String { payload.email }

    func language(of payload: Payload) -> MailLanguage { payload.language ?? settings.defaultLanguage }

    func subject(of payload: Payload) -> String { settings.subject(in: language(of: payload)) }

    func context(for payload: Payload, job: JobContext) async throws -> Context {
        let code = try await codes.issue(jobID: job.jobID, userID: payload.userID, email: payload.email, at: clock(), on: database)
        return Context(siteName: settings.siteName, email: payload.email, username: payload.username ?? "（未记录）",
                       link: verifier.link(userID: payload.userID, email: payload.email) + language(of: payload).linkSuffix,
                       expiresHours: max(1, tokenLifetime / 3600), code: code, codeMinutes: codes.lifetime / 60)
    }

    func sent(_ payload: Payload, messageID: String, context: JobContext) {
        metrics.funnel("sent")
        context.logger.info("verification mail sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }
}
