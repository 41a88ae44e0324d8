import JobQueue

/// When a verified address is replaced, tells the old address, naming the new one masked (`a***@example.com`), so
/// the owner learns of a change they did not make — as Devise's `send_email_changed_notification` and Supabase's
/// secure email change do. The old address stays informed even though the account no longer points at it, and gets
/// a "this was not me" link that puts it back (`RevertLinks`, `AddressRevert`).
struct EmailChangedNotice: MailTemplate {
    struct Payload: Codable, Sendable, Equatable {
        var userID: Int64
        var oldEmail: String
        var newEmail: String
        var language: MailLanguage?

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case oldEmail = "old_email"
            case newEmail = "new_email"
            case language
        }
    }

    /// What the templates `mail/email_changed_*.leaf` are given: never the new address in full.
    struct Context: Encodable, Sendable {
        var siteName: String
        var oldEmail: String
        var maskedNewEmail: String
        var revertLink: String
        var revertHours: Int64
    }

    static let jobKind = "send_email_changed_notice"
    static let templateName = "email_changed"
    static let messageIDPrefix = "email-changed"

    let settings: MailSettings
    let revertLinks: RevertLinks
    let revertHours: Int64

    func recipient(of payload: Payload) -> String { payload.oldEmail }

    func language(of payload: Payload) -> MailLanguage { payload.language ?? settings.defaultLanguage }

    func subject(of payload: Payload) -> String { settings.changeNoticeSubject(in: language(of: payload)) }

    func context(for payload: Payload, job: JobContext) async throws -> Context {
        Context(siteName: settings.siteName, oldEmail: payload.oldEmail, maskedNewEmail: EmailAddress.masked(payload.newEmail),
                revertLink: revertLinks.link(revertLinks.claims(userID: payload.userID, oldEmail: payload.oldEmail, newEmail: payload.newEmail))
                    + language(of: payload).linkSuffix,
                revertHours: revertHours)
    }

    func sent(_ payload: Payload, messageID: String, context: JobContext) {
        context.logger.info("email change notice sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }
}
