import LeafKit
import JobQueue

/// When a verified address is replaced, tells the old address, naming the new one masked (`a***@example.com`), so
/// the owner learns of a change they did not make — as Devise's `send_email_changed_notification` and Supabase's
/// secure email change do. The old address stays informed even though the account no longer points at it, and gets
/// a "this was not me" link that puts it back (`RevertLinks`, `AddressRevert`).
package struct EmailChangedNotice: MailTemplate {
    package struct Payload: Codable, Sendable, Equatable {
        package var userID: Int64
        package var oldEmail: String
        package var newEmail: String
        package var language: MailLanguage?

        package enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case oldEmail = "old_email"
            case newEmail = "new_email"
            case language
        }

        package init(userID: Int64, oldEmail: String, newEmail: String, language: MailLanguage? = nil) {
            self.userID = userID
            self.oldEmail = oldEmail
            self.newEmail = newEmail
            self.language = language
        }
    }

    /// What the templates `mail/email_changed_*.leaf` are given: never the new address in full.
    package struct Context: MailContext {
        package var siteName: String
        package var oldEmail: String
        package var maskedNewEmail: String
        package var revertLink: String
        package var revertHours: Int64

        package init(siteName: String, oldEmail: String, maskedNewEmail: String, revertLink: String, revertHours: Int64) {
            self.siteName = siteName
            self.oldEmail = oldEmail
            self.maskedNewEmail = maskedNewEmail
            self.revertLink = revertLink
            self.revertHours = revertHours
        }

        package var leafData: [String: LeafData] {
            ["siteName": .string(siteName), "oldEmail": .string(oldEmail), "maskedNewEmail": .string(maskedNewEmail),
             "revertLink": .string(revertLink), "revertHours": .int(Int(revertHours))]
        }
    }

    package static let jobKind = "send_email_changed_notice"
    package static let templateName = "email_changed"
    package static let messageIDPrefix = "email-changed"

    package let settings: MailSettings
    package let revertLinks: RevertLinks
    package let revertHours: Int64

    package func recipient(of payload: Payload) -> String { payload.oldEmail }

    package func language(of payload: Payload) -> MailLanguage { payload.language ?? settings.defaultLanguage }

    package func subject(of payload: Payload) -> String { settings.changeNoticeSubject(in: language(of: payload)) }

    package func context(for payload: Payload, job: JobContext) async throws -> Context {
        Context(siteName: settings.siteName, oldEmail: payload.oldEmail, maskedNewEmail: EmailAddress.masked(payload.newEmail),
                revertLink: revertLinks.link(revertLinks.claims(userID: payload.userID, oldEmail: payload.oldEmail, newEmail: payload.newEmail))
                    + language(of: payload).linkSuffix,
                revertHours: revertHours)
    }

    package func sent(_ payload: Payload, messageID: String, context: JobContext) {
        context.logger.info("email change notice sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }

    package init(settings: MailSettings, revertLinks: RevertLinks, revertHours: Int64) {
        self.settings = settings
        self.revertLinks = revertLinks
        self.revertHours = revertHours
    }
}
