import JobQueue
import Vapor

/// When a verified address is replaced, tells the old address, naming the new one masked (`a***@example.com`), so
/// the owner learns of a change they did not make — as Devise's `send_email_changed_notification` and Supabase's
/// secure email change do. The old address stays informed even though the account no longer points at it.
struct SendEmailChangedNoticeJob: Job {
    struct Payload: Codable, Sendable, Equatable {
        var userID: Int64
        var oldEmail: String
        var newEmail: String

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case oldEmail = "old_email"
            case newEmail = "new_email"
        }
    }

    /// What the templates `mail/email_changed_*.leaf` are given: never the new address in full.
    struct Context: Encodable, Sendable {
        var siteName: String
        var oldEmail: String
        var maskedNewEmail: String
    }

    static let kind = "send_email_changed_notice"
    static let template = "email_changed"

    let sender: MailJobSender

    func perform(_ payload: Payload, context: JobContext) async throws {
        let siteName = sender.settings.siteName
        let notice = Context(siteName: siteName, oldEmail: payload.oldEmail,
                             maskedNewEmail: EmailAddress.masked(payload.newEmail))
        let messageID = try await sender.send(to: payload.oldEmail, subject: sender.settings.changeNoticeSubject, template: Self.template,
                                              context: notice, messageIDPrefix: "email-changed", job: context)
        context.logger.info("email change notice sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }
}
