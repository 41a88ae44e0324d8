import JobQueue
import Mail
import SMTPClient

/// What every mail job does: render the two bodies, address the message, send it, and turn a failure no retry
/// will mend (an unmailable recipient, a 5xx, a refused certificate) into a dead job.
struct MailJobSender: Sendable {
    let renderer: MailRenderer
    let transport: any MailTransport
    let settings: MailSettings

    /// Sends the mail made from the templates `mail/TEMPLATE_text.leaf` and `mail/TEMPLATE_html.leaf` and returns
    /// its Message-ID, which is the same for every attempt of one job (`PREFIX.JOBID.ENQUEUEDAT@DOMAIN`), so a
    /// receiver (and the file transport) can drop a redelivery.
    func send(to address: String, subject: String, template: String, context: some Encodable & Sendable,
              messageIDPrefix: String, job: JobContext) async throws -> String {
        let recipient: Mailbox
        do { recipient = try Mailbox(address, field: "recipient") } catch {
            throw PermanentJobError("the recipient cannot be mailed: \(error)")
        }
        let bodies = try await renderer.render(template, context)
        let message = try Message(
            from: settings.from, to: [recipient], subject: subject, text: bodies.text, html: bodies.html,
            messageID: "\(messageIDPrefix).\(job.jobID).\(job.enqueuedAt)@\(settings.from.domain)")
        do { try await transport.send(message) } catch let error as SMTPError where !error.isTransient {
            throw PermanentJobError(error.description)
        }
        return message.messageID
    }
}
