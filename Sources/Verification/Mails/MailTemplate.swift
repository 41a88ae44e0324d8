import JobQueue

/// A kind of mail the service sends: the job kind and payload it is queued under, and how a payload becomes the
/// mail — recipient, subject, and the context its two Leaf templates (`mail/NAME_text.leaf`, `mail/NAME_html.leaf`)
/// are rendered with, at send time (so no credential waits in the jobs table).
package protocol MailTemplate: Sendable {
    associatedtype Payload: Codable & Sendable
    associatedtype Context: MailContext

    /// The job kind stored with each queued mail: it never changes, or queued mail would no longer be sent.
    static var jobKind: String { get }
    static var templateName: String { get }
    /// The Message-ID's first part (`PREFIX.JOBID.ENQUEUEDAT@DOMAIN`).
    static var messageIDPrefix: String { get }

    func recipient(of payload: Payload) -> String
    /// The language the mail was asked in (`MailLanguage`); the default for payloads queued without one.
    func language(of payload: Payload) -> MailLanguage
    func subject(of payload: Payload) -> String
    /// Made at send time, for the job's run (a verification mail stores its code then).
    func context(for payload: Payload, job: JobContext) async throws -> Context
    /// Called once the mail is sent: a log line naming what it was, and any metric.
    func sent(_ payload: Payload, messageID: String, context: JobContext)
}

/// The one job that sends mail: renders `Template` for its payload and sends it. Registered once per template.
package struct SendMailJob<Template: MailTemplate>: Job {
    package typealias Payload = Template.Payload
    package static var kind: String { Template.jobKind }

    package let template: Template
    package let sender: MailSender

    package func perform(_ payload: Payload, context: JobContext) async throws {
        let mail = try await sender.renderer.render(Template.templateName, language: template.language(of: payload),
                                                    subject: template.subject(of: payload),
                                                    context: try await template.context(for: payload, job: context))
        let messageID = try await sender.send(mail, to: template.recipient(of: payload), kind: Template.jobKind,
                                              messageIDPrefix: Template.messageIDPrefix, job: context)
        template.sent(payload, messageID: messageID, context: context)
    }

    package init(template: Template, sender: MailSender) {
        self.template = template
        self.sender = sender
    }
}

package typealias SendVerifyEmailJob = SendMailJob<VerificationMail>
package typealias SendEmailChangedNoticeJob = SendMailJob<EmailChangedNotice>
