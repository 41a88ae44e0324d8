import JobQueue
import Mail
import SMTPClient
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

    static let kind = "send_verify_email"

    let verifier: EmailVerifier
    let renderer: VerificationMailRenderer
    let transport: any MailTransport
    let metrics: ServiceMetrics
    let settings: MailSettings
    let tokenLifetime: Int64

    func perform(_ payload: Payload, context: JobContext) async throws {
        let recipient: Mailbox
        do { recipient = try Mailbox(payload.email, field: "recipient") } catch {
            throw PermanentJobError("the recipient cannot be mailed: \(error)")
        }
        let link = verifier.link(userID: payload.userID, email: payload.email)
        let bodies = try await renderer.render(.init(siteName: settings.siteName, email: payload.email, link: link,
                                                     expiresHours: max(1, tokenLifetime / 3600)))
        let message = try Message(
            from: settings.from, to: [recipient], subject: settings.subject, text: bodies.text, html: bodies.html,
            messageID: Self.messageID(jobID: context.jobID, enqueuedAt: context.enqueuedAt, domain: settings.from.domain))
        do { try await transport.send(message) } catch let error as SMTPError where !error.isTransient {
            throw PermanentJobError(error.description)  // a 5xx or a refused certificate: no retry will mend it
        }
        metrics.funnel("sent")
        context.logger.info("verification mail sent", metadata: ["user_id": "\(payload.userID)", "message_id": "\(message.messageID)"])
    }

    /// The same for every attempt of one job, so a receiver (and the file transport) can drop a redelivery.
    static func messageID(jobID: Int64, enqueuedAt: Int64, domain: Substring) -> String {
        "verify-email.\(jobID).\(enqueuedAt)@\(domain)"
    }
}
