import LeafKit
import Foundation
import JobQueue
import SQLKit

/// The seed's Celery task `send_verify_email`: the mail with the verification link for `{user_id, email}` and a
/// six-digit code; the token is minted and the code stored when the mail is made.
package struct VerificationMail: MailTemplate {
    package struct Payload: Codable, Sendable, Equatable {
        package var userID: Int64
        package var email: String
        /// The account that asked, named in the mail so that the address's owner knows whose request it is;
        /// absent in jobs queued before it was recorded.
        package var username: String?
        /// Absent in jobs queued before it was recorded: those are sent in the default language.
        package var language: MailLanguage?

        package enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case email
            case username
            case language
        }

        package init(userID: Int64, email: String, username: String? = nil, language: MailLanguage? = nil) {
            self.userID = userID
            self.email = email
            self.username = username
            self.language = language
        }
    }

    /// What the templates `mail/verify_email_*.leaf` are given.
    package struct Context: MailContext {
        package var siteName: String
        package var email: String
        package var username: String
        package var link: String
        package var expiresHours: Int64
        package var code: String
        package var codeMinutes: Int64

        package init(siteName: String, email: String, username: String, link: String, expiresHours: Int64, code: String, codeMinutes: Int64) {
            self.siteName = siteName
            self.email = email
            self.username = username
            self.link = link
            self.expiresHours = expiresHours
            self.code = code
            self.codeMinutes = codeMinutes
        }

        package var leafData: [String: LeafData] {
            ["siteName": .string(siteName), "email": .string(email), "username": .string(username), "link": .string(link),
             "expiresHours": .int(Int(expiresHours)), "code": .string(code), "codeMinutes": .int(Int(codeMinutes))]
        }
    }

    package static let jobKind = "send_verify_email"
    package static let templateName = "verify_email"
    package static let messageIDPrefix = "verify-email"

    package let verifier: EmailVerifier
    package let settings: MailSettings
    package let metrics: ServiceMetrics
    package let tokenLifetime: Int64
    package let codes: VerificationCodes
    package let database: any SQLDatabase
    package let clock: @Sendable () -> Date
    /// The codes of the mails in flight, stored together before any of them is sent.
    private let storedCodes: GroupedWrites<VerificationCodes.Issued>

    package func recipient(of payload: Payload) -> String { payload.email }

    package func language(of payload: Payload) -> MailLanguage { payload.language ?? settings.defaultLanguage }

    package func subject(of payload: Payload) -> String { settings.subject(in: language(of: payload)) }

    package func context(for payload: Payload, job: JobContext) async throws -> Context {
        let code = codes.code(jobID: job.jobID, userID: payload.userID, email: payload.email)
        try await storedCodes.write(codes.issued(code, userID: payload.userID, email: payload.email, at: clock()))
        return Context(siteName: settings.siteName, email: payload.email, username: payload.username ?? "（未记录）",
                       link: verifier.link(userID: payload.userID, email: payload.email) + language(of: payload).linkSuffix,
                       expiresHours: max(1, tokenLifetime / 3600), code: code, codeMinutes: codes.lifetime / 60)
    }

    package func sent(_ payload: Payload, messageID: String, context: JobContext) {
        metrics.funnel("sent")
        context.logger.info("verification mail sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(messageID)"])
    }

    package init(verifier: EmailVerifier, settings: MailSettings, metrics: ServiceMetrics, tokenLifetime: Int64, codes: VerificationCodes, database: any SQLDatabase, clock: @escaping @Sendable () -> Date) {
        self.verifier = verifier
        self.settings = settings
        self.metrics = metrics
        self.tokenLifetime = tokenLifetime
        self.codes = codes
        self.database = database
        self.clock = clock
        storedCodes = GroupedWrites(flush: { [codes] issued in try await codes.store(issued, on: database) })
    }
}
