import JobQueue
import Vapor

/// The seed's Celery task `send_verify_email`: renders the verification mail for `{user_id, email}` and sends it.
/// The token is minted when the mail is made, so no credential is stored in the jobs table.
struct SendVerifyEmailJob: Job {
    struct Payload: Codable, Sendable, Equatable {
        var userID: Int64
        var email: String

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email
        }
    }

    /// What the templates `mail/verify_email_*.leaf` are given.
    struct Context: Encodable, Sendable {
        var siteName: String
        var email: String
        var link: String
        var expiresHours: Int64
    }

    static let kind = "send_verify_email"
    static let template = "verify_email"

    let verifier: EmailVerifier
    let sender: MailJobSender
    let metrics: ServiceMetrics
    let tokenLifetime: Int64

    func perform(_ payload: Payload, context: JobContext) async throws {
        let siteName = sender.settings.siteName
        let mail = Context(siteName: siteName, email: payload.email,
                           link: verifier.link(userID: payload.userID, email: payload.email),
                           expiresHours: max(1, tokenLifetime / 3600))
        let messageID = try await sender.send(to: payload.email, subject: sender.settings.subject, template: Self.template,
                                              context: mail, messageIDPrefix: "verify-email", job: context)
        metrics.funnel("sent")
        context.logger.info("verification mail sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }
}
