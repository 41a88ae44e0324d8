import Bounces
import Foundation
import JobQueue
import Mail
import ProviderEvents
import SMTPClient
import SQLKit

/// What every mail job does once its mail is rendered: address the message (its envelope sender the job's signed
/// bounce address when `BOUNCE_ADDRESS` is set), send it, record each step in the delivery log, and turn a
/// failure no retry will mend (an unmailable or suppressed recipient, a 5xx, a refused certificate) into a dead
/// job. A 5xx refusal of the recipient that speaks of the address (`BounceClass`) suppresses it. The steps and the
/// suppression checks of all the mails in flight go together (`GroupedStatements`): one statement per batch, not
/// one per step of each mail.
package struct MailSender: Sendable {
    package let renderer: MailRenderer
    package let transport: any MailTransport
    package let settings: MailSettings
    package let bounceAddress: BounceAddress?
    package let deliveries: DeliveryLog
    package let suppressions: Suppressions
    package let database: any SQLDatabase
    package let backoff: Backoff
    package let clock: @Sendable () -> Date
    /// Whether each mail carries its Message-ID in Postmark's metadata header, which Postmark's webhook echoes.
    package var tagsForPostmark = false
    private let steps: GroupedWrites<DeliveryStep>
    /// Whether each recipient of the mails in flight is suppressed, asked together.
    private let suppressionChecks: GroupedStatements<String, Suppressions.Entry?>

    /// Sends `mail` and returns its Message-ID, which is the same for every attempt of one job
    /// (`PREFIX.JOBID.ENQUEUEDAT@DOMAIN`), so a receiver (and the file transport) can drop a redelivery.
    package func send(_ mail: RenderedMail, to address: String, kind: String, messageIDPrefix: String, job: JobContext) async throws -> String {
        let recipient: Mailbox
        do { recipient = try Mailbox(address, field: "recipient") } catch {
            throw PermanentJobError("the recipient cannot be mailed: \(error)")
        }
        func step(_ state: DeliveryState, _ detail: String, _ operatorDetail: String = "") -> DeliveryStep {
            DeliveryStep(jobID: job.jobID, address: address, kind: kind, state: state, detail: detail, operatorDetail: operatorDetail)
        }
        if let suppression = try await suppressionChecks.run(address) {
            let cause = suppression.isComplaint ? "spam complaint" : "bounce"
            try await steps.write(step(.bounced, suppression.detail, "not sent: suppressed since the \(cause) of job \(suppression.job_id)"))
            throw PermanentJobError("not sent: the address is suppressed after a \(cause) (\(suppression.status))")
        }
        let messageID = "\(messageIDPrefix).\(job.jobID).\(job.enqueuedAt)@\(settings.from.domain)"
        let message = try Message(
            from: settings.from, to: [recipient], subject: mail.subject, text: mail.text, html: mail.html, messageID: messageID,
            extraHeaders: tagsForPostmark ? [(PostmarkWebhook.metadataHeader, messageID)] : [])
        let envelope = Envelope(from: bounceAddress?.address(forJob: job.jobID) ?? message.envelope.from,
                                recipients: message.envelope.recipients, messageID: message.messageID)
        try await steps.write(step(.sending, DeliveryWording.sending, "attempt \(job.attempt) of \(job.maxAttempts)"))
        let receipt: String
        do {
            receipt = try await transport.send(envelope: envelope, raw: message.render())
        } catch let error as SMTPError where !error.isTransient {
            await recordQuietly(step(.bounced, DeliveryWording.refused(status: error.enhancedCode), error.description), job: job)
            // A refusal of the recipient that speaks of the address; a bare 550 at RCPT is taken as 5.0.0.
            if error.step == "RCPT TO", BounceClass.isHard(status: error.enhancedCode ?? "5.0.0") {
                await suppressQuietly(address, status: error.enhancedCode ?? "5.0.0", detail: DeliveryWording.refused(status: error.enhancedCode), job: job)
            }
            throw PermanentJobError(error.description)
        } catch {
            let status = (error as? SMTPError)?.enhancedCode
            let failure = (error as? SMTPError)?.description ?? "\(error)"
            if job.attempt >= job.maxAttempts {
                await recordQuietly(step(.bounced, DeliveryWording.refused(status: status ?? "4.4.7"), "gave up after \(job.attempt) attempts: \(failure)"), job: job)
            } else {
                let nextTryBy = clock().addingTimeInterval(backoff.ceiling(afterAttempt: job.attempt))
                await recordQuietly(step(.deferred, DeliveryWording.delayed(status: status, nextTryBy: nextTryBy), failure), job: job)
            }
            throw error
        }
        // The mail is out: a failure to record that must not send it again.
        await recordQuietly(step(.sent, DeliveryWording.sent, receipt), job: job)
        return message.messageID
    }

    private func recordQuietly(_ step: DeliveryStep, job: JobContext) async {
        do { try await steps.write(step) } catch {
            job.logger.error("recording the mail's delivery state failed", metadata: ["state": "\(step.state.rawValue)", "error": "\(DatabaseErrorText.describe(error))"])
        }
    }

    private func suppressQuietly(_ address: String, status: String, detail: String, job: JobContext) async {
        do { try await suppressions.suppress(address: address, status: status, detail: detail, jobID: job.jobID, at: clock(), on: database) } catch {
            job.logger.error("suppressing a refused address failed", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
        }
    }

    package init(renderer: MailRenderer, transport: any MailTransport, settings: MailSettings, bounceAddress: BounceAddress? = nil, deliveries: DeliveryLog, suppressions: Suppressions, database: any SQLDatabase, backoff: Backoff, clock: @escaping @Sendable () -> Date) {
        self.renderer = renderer
        self.transport = transport
        self.settings = settings
        self.bounceAddress = bounceAddress
        self.deliveries = deliveries
        self.suppressions = suppressions
        self.database = database
        self.backoff = backoff
        self.clock = clock
        steps = GroupedWrites(flush: { [deliveries] steps in try await deliveries.record(steps, on: database) })
        suppressionChecks = GroupedStatements { [suppressions] addresses in
            try await suppressions.active(addresses: addresses, at: clock(), on: database)
        }
    }
}
