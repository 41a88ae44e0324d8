import Bounces
import Foundation
import JobQueue
import Logging
import Mail
import NIOCore
import SMTPClient
import SQLKit
import Verification

/// The services the service runs on, built once from the settings; the routes, the commands and the workers are
/// each handed the ones they use.
package struct AppServices: Sendable {
    package let settings: Settings
    /// Signs and verifies the session JWTs.
    package let sessionKeys: SessionKeys
    /// The app's one clock: the resend throttle, the rate limit's windows, verification tokens and session JWTs.
    /// The queue's leases and run times are the database's clock (`QueueClock`), the same on every host.
    package let clock: @Sendable () -> Date
    package let metrics: ServiceMetrics
    package let jobQueue: JobQueue
    package let jobRegistry: JobRegistry
    package let emailVerifier: EmailVerifier
    package let revertLinks: RevertLinks
    package let addressRevert: AddressRevert
    /// The configured transport, unmeasured (the jobs send through a measured one).
    package let mailTransport: any MailTransport
    /// The SMTP session pool when EMAIL_BACKEND is smtp (for metrics and shutdown).
    package let smtpPool: SMTPConnectionPool?
    /// Whose accounts table, and the names of the service's own tables beside it.
    package let accounts: any AccountTable.Type
    package let tables: ServiceTables
    package let passwords: any PasswordScheme
    /// A username and password checked against the accounts (the API's sign-in and the console's).
    package let passwordSignIn: PasswordSignIn
    package let recipientLimit: RecipientLimit
    package let verificationCodes: VerificationCodes
    package let deliveries: DeliveryLog
    /// What `/metrics` answers, on the API's server and on a worker's own.
    package let metricsScrape: MetricsScrape
    package let addressActivation: AddressActivation
    package let emailChanges: EmailChanges
    package let codeConfirmations: CodeConfirmations
    package let suppressions: Suppressions
    /// Each mail's signed envelope sender, when `BOUNCE_ADDRESS` is set.
    package let bounceAddress: BounceAddress?
    /// Whether the relay takes addresses beyond ASCII.
    package let relayCapabilities: RelayCapabilities
    /// What the mail providers' webhooks do with the events they verified.
    package let providerEvents: ProviderEventIntake
    /// Each verification link opened, once.
    package let linkOpens: LinkOpens
    /// The operator's console: who is staff, their sessions, what they did, and the counts its overview shows.
    package let staff: StaffDirectory
    package let consoleSessions: ConsoleSessions
    package let consoleAudit: ConsoleAudit
    package let consoleSignOuts: ConsoleSignOuts
    package let mailActivity: MailActivity
    /// What `meiduo mail status` and the console's address page show.
    package let addressHistory: AddressHistory
    /// `meiduo jobs retry` and the console's retry.
    package let deadMailRetry: DeadMailRetry

    /// Builds every service over the database, the mail renderer and the event loops given; the caller closes
    /// the SMTP pool when it shuts down.
    package init(settings: Settings, sessionKeys: SessionKeys, clock: @escaping @Sendable () -> Date, database: any SQLDatabase, renderer: MailRenderer,
         eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.sessionKeys = sessionKeys
        self.clock = clock
        accounts = settings.accounts.table
        switch settings.accounts {
        case .own: passwords = BcryptScheme(cost: settings.bcryptCost)
        case .django: passwords = DjangoScheme(iterations: settings.djangoPasswordIterations)
        }
        tables = accounts.tables
        recipientLimit = RecipientLimit(table: tables.verificationRecipients, sharesTable: tables.verificationRecipientShares,
                                        interval: settings.verifyEmailResendInterval, dailyLimit: settings.verifyEmailRecipientDailyLimit,
                                        accountShare: settings.verifyEmailRecipientAccountLimit)
        verificationCodes = VerificationCodes(table: tables.verificationCodes, secretKey: settings.secretKey, lifetime: settings.verifyCodeTTL)
        let metrics = ServiceMetrics()
        self.metrics = metrics
        deliveries = DeliveryLog(table: tables.deliveries, clock: clock, metrics: metrics)
        addressActivation = AddressActivation(accounts: accounts, deliveries: deliveries, metrics: metrics, clock: clock)
        codeConfirmations = CodeConfirmations(accounts: accounts, codes: verificationCodes, metrics: metrics, clock: clock)
        suppressions = Suppressions(table: tables.suppressions, days: settings.bounces.suppressDays)
        providerEvents = ProviderEventIntake(events: ProviderEventLog(table: tables.providerEvents, tokensTable: tables.webhookTokens),
                                             deliveries: deliveries, suppressions: suppressions, messageIDDomain: String(settings.mail.from.domain),
                                             metrics: metrics, clock: clock)
        addressHistory = AddressHistory(deliveries: deliveries, reports: BounceReports(table: tables.bounceReports),
                                        events: providerEvents.events, suppressions: suppressions)
        linkOpens = LinkOpens(table: tables.linkOpens)
        passwordSignIn = PasswordSignIn(accounts: accounts, passwords: passwords, unknownUserPasswordHash: UnknownUserPasswordHash(passwords: passwords))
        staff = StaffDirectory(accounts: accounts, passwordSignIn: passwordSignIn)
        consoleSessions = ConsoleSessions(settings: settings, clock: clock)
        consoleAudit = ConsoleAudit(table: tables.consoleAudit)
        consoleSignOuts = ConsoleSignOuts(table: tables.consoleSignOuts)
        mailActivity = MailActivity(tables: tables, linkOpens: linkOpens)
        bounceAddress = settings.bounces.address.flatMap { BounceAddress(base: $0, secrets: [settings.secretKey] + settings.secretKeyFallbacks) }
        var queueConfiguration = settings.queue.queue
        queueConfiguration.onEnqueued = { metrics.jobEnqueued(kind: $0) }
        queueConfiguration.tables = tables.queue
        jobQueue = JobQueue(database: database, configuration: queueConfiguration)
        deadMailRetry = DeadMailRetry(jobs: jobQueue, suppressions: suppressions)
        emailChanges = EmailChanges(accounts: accounts, suppressions: suppressions, jobs: jobQueue, recipients: recipientLimit,
                                    deliveries: deliveries, metrics: metrics, resendInterval: settings.verifyEmailResendInterval, clock: clock)
        emailVerifier = EmailVerifier(settings: settings, clock: clock)
        revertLinks = RevertLinks(settings: settings, clock: clock)
        addressRevert = AddressRevert(accounts: accounts, tables: tables, passwordRequiredSeconds: settings.revertTTL)
        switch settings.mail.backend {
        case .file(let directory):
            smtpPool = nil
            mailTransport = FileTransport(directory: URL(fileURLWithPath: directory, isDirectory: true))
        case .console:
            smtpPool = nil
            mailTransport = ConsoleTransport()
        case .smtp(let configuration):
            let pool = SMTPConnectionPool(configuration: configuration, group: eventLoopGroup, logger: logger)
            smtpPool = pool
            mailTransport = SMTPTransport(pool: pool)
        }
        relayCapabilities = RelayCapabilities(pool: smtpPool)
        metricsScrape = MetricsScrape(metrics: metrics, jobs: jobQueue, smtpPool: smtpPool, token: settings.metricsToken)
        var sender = MailSender(
            renderer: renderer,
            transport: MeasuredTransport(base: mailTransport, backend: settings.mail.backend.name, metrics: metrics),
            settings: settings.mail, bounceAddress: bounceAddress, deliveries: deliveries, suppressions: suppressions,
            database: database, backoff: settings.queue.queue.backoff, clock: clock)
        sender.tagsForPostmark = settings.webhooks.tagsMailForPostmark
        var registry = JobRegistry()
        registry.register(SendVerifyEmailJob(
            template: VerificationMail(verifier: emailVerifier, settings: settings.mail, metrics: metrics,
                                       tokenLifetime: settings.verifyEmailTokenExpires, codes: verificationCodes,
                                       database: database, clock: clock),
            sender: sender))
        registry.register(SendEmailChangedNoticeJob(template: EmailChangedNotice(settings: settings.mail, revertLinks: revertLinks,
                                                                                 revertHours: settings.revertTTL / 3600),
                                                    sender: sender))
        jobRegistry = registry
    }
}
