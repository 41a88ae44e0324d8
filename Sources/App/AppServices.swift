import Foundation
import JobQueue
import Mail
import SMTPClient
import SQLKit
import Vapor

/// The services the app runs on, built once by `configure` from the settings and handed to the routes, the
/// middleware, the commands and the workers that use them.
struct AppServices: Sendable {
    let settings: Settings
    /// The app's one clock: the resend throttle, the rate limit's windows, verification tokens and session JWTs.
    /// The queue's leases and run times are the database's clock (`QueueClock`), the same on every host.
    let clock: @Sendable () -> Date
    let metrics: ServiceMetrics
    let jobQueue: JobQueue
    let jobRegistry: JobRegistry
    let emailVerifier: EmailVerifier
    /// The configured transport, unmeasured (the jobs send through a measured one).
    let mailTransport: any MailTransport
    /// The SMTP session pool when EMAIL_BACKEND is smtp (for metrics and shutdown).
    let smtpPool: SMTPConnectionPool?
    let unknownUserPasswordHash = UnknownUserPasswordHash()

    /// Builds every service over `app`'s database, views and event loops; the SMTP pool is closed when the app
    /// shuts down.
    init(app: Application, settings: Settings, clock: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.clock = clock
        let metrics = ServiceMetrics()
        self.metrics = metrics
        var queueConfiguration = settings.queue.queue
        queueConfiguration.onEnqueued = { metrics.jobEnqueued(kind: $0) }
        jobQueue = JobQueue(database: app.db as! any SQLDatabase, configuration: queueConfiguration)
        emailVerifier = EmailVerifier(settings: settings, clock: clock)
        switch settings.mail.backend {
        case .file(let directory):
            smtpPool = nil
            mailTransport = FileTransport(directory: URL(fileURLWithPath: directory, isDirectory: true))
        case .console:
            smtpPool = nil
            mailTransport = ConsoleTransport()
        case .smtp(let configuration):
            let pool = SMTPConnectionPool(configuration: configuration, group: app.eventLoopGroup, logger: app.logger)
            app.lifecycle.use(SMTPPoolShutdown(pool: pool))
            smtpPool = pool
            mailTransport = SMTPTransport(pool: pool)
        }
        let sender = MailSender(
            renderer: MailRenderer(app: app),
            transport: MeasuredTransport(base: mailTransport, backend: settings.mail.backend.name, metrics: metrics),
            settings: settings.mail)
        var registry = JobRegistry()
        registry.register(SendVerifyEmailJob(
            template: VerificationMail(verifier: emailVerifier, settings: settings.mail, metrics: metrics,
                                       tokenLifetime: settings.verifyEmailTokenExpires),
            sender: sender))
        registry.register(SendEmailChangedNoticeJob(template: EmailChangedNotice(settings: settings.mail), sender: sender))
        jobRegistry = registry
    }
}
