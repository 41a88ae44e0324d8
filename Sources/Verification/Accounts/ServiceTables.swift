import JobQueue

/// The names of the tables this service creates: bare in a database of its own, under a prefix (`meiduo_`) in a
/// shop's database shared with Django, so that none can clash with the shop's.
package struct ServiceTables: Sendable {
    package let prefix: String

    package var queue: QueueSchema { QueueSchema(prefix: prefix) }
    package var rateLimits: String { prefix + "rate_limits" }
    package var verificationRecipients: String { prefix + "verification_recipients" }
    /// Per address and account, the verification mails the account had sent to it today (`RecipientLimit`).
    package var verificationRecipientShares: String { prefix + "verification_recipient_shares" }
    package var verificationCodes: String { prefix + "verification_codes" }
    /// The "this was not me" links already used (each works once).
    package var revertsUsed: String { prefix + "reverts_used" }
    /// Every step of every mail (`DeliveryLog`).
    package var deliveries: String { prefix + "mail_deliveries" }
    /// Addresses not mailed after a hard bounce.
    package var suppressions: String { prefix + "suppressions" }
    /// Each report `meiduo bounces` took, raw.
    package var bounceReports: String { prefix + "bounce_reports" }
    /// Each event a mail provider's webhook delivered, raw (`ProviderEventLog`).
    package var providerEvents: String { prefix + "provider_events" }
    /// The signed webhook tokens already taken (Mailgun's), so none is taken twice.
    package var webhookTokens: String { prefix + "webhook_tokens" }
    /// Every action taken in the operator's console: who, what, when.
    package var consoleAudit: String { prefix + "console_audit" }
    /// Console sessions ended by signing out, until they would have expired (`ConsoleSignOuts`).
    package var consoleSignOuts: String { prefix + "console_sign_outs" }
    /// Each verification link opened, once (`LinkOpens`): the funnel's middle step.
    package var linkOpens: String { prefix + "link_opens" }
    /// Per account, when its last verification mail was queued; only where the accounts table is not ours.
    package var accountState: String { prefix + "account_state" }

    package init(prefix: String) {
        self.prefix = prefix
    }
}
