import JobQueue

/// The names of the tables this service creates: bare in a database of its own, under a prefix (`meiduo_`) in a
/// shop's database shared with Django, so that none can clash with the shop's.
struct ServiceTables: Sendable {
    let prefix: String

    var queue: QueueSchema { QueueSchema(prefix: prefix) }
    var rateLimits: String { prefix + "rate_limits" }
    var verificationRecipients: String { prefix + "verification_recipients" }
    var verificationCodes: String { prefix + "verification_codes" }
    /// The "this was not me" links already used (each works once).
    var revertsUsed: String { prefix + "reverts_used" }
    /// Every step of every mail (`DeliveryLog`).
    var deliveries: String { prefix + "mail_deliveries" }
    /// Addresses not mailed after a hard bounce.
    var suppressions: String { prefix + "suppressions" }
    /// Each report `meiduo bounces` took, raw.
    var bounceReports: String { prefix + "bounce_reports" }
    /// Per account, when its last verification mail was queued; only where the accounts table is not ours.
    var accountState: String { prefix + "account_state" }
}
