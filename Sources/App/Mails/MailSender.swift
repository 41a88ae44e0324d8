import JobQueue
import Mail
import SMTPClient

/// What every mail job does once its mail is rendered: address the message, send it, and turn a failure no retry
/// will mend (an unmailable recipient, a 5xx, a refused certificate) into a dead job.
struct MailSender: Sendable {
    let renderer: MailRenderer
    let transport: any MailTransport
    let settings: MailSettings

    /// Sends `mail` and returns its Message-ID, which is the same for every attempt of one job
    /// (`PREFIX.JOBID.ENQUEUEDAT@DOMAIN`), so a receiver (and the file transport) can drop a redelivery.
    func send(_ mail: RenderedMail, to address: String, messageIDPrefix: String, job: JobContext) async throws -> String {
        let recipient: Mailbox
        do { recipient = try Mailbox(address, field: "recipient") } catch {
            throw PermanentJobError("the recipient cannot be mailed: \(error)")
        }
        let message = try Message(
            from: settings.from, to: [recipient], subject: mail.subject, text: mail.text, html: mail.html,
            messageID: "\(messageIDPrefix).\(job.jobID).\(job.enqueuedAt)@\(settings.from.domain)")
        do { try await transport.send(message) } catch let error as SMTPError where !error.isTransient {
            throw PermanentJobError(error.description)
        }
        return message.messageID
    }
}
