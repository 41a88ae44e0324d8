import ProviderEvents

/// The mail providers' webhooks: `SES_SNS_*`, `SENDGRID_WEBHOOK_PUBLIC_KEY`, `MAILGUN_WEBHOOK_SIGNING_KEY`,
/// `POSTMARK_WEBHOOK_*`. A provider whose settings are empty has no webhook (404).
public struct WebhookSettings: Sendable {
    /// The SNS topics whose notifications count; empty: no SES webhook.
    public var sesTopicARNs: [String] = []
    /// The host (`*`: one DNS label) SNS signing certificates and subscribe URLs must be fetched from, over HTTPS.
    public var sesCertificateHost = "sns.*.amazonaws.com"
    /// PEM file of the certificate authorities trusted when fetching them; nil: the system's.
    public var sesCAFile: String?
    /// SendGrid's verification key, base64 DER, as SendGrid shows it.
    public var sendGridPublicKey: String?
    public var mailgunSigningKey: String?
    public var postmarkUser: String?
    public var postmarkPassword: String?

    public init() {}

    /// Whether mails carry Postmark's metadata header with their Message-ID (Postmark echoes no Message-ID).
    public var tagsMailForPostmark: Bool { postmarkUser != nil }

    package static func load(from reader: VariableReader) throws(SettingsError) -> WebhookSettings {
        var settings = WebhookSettings()
        settings.sesTopicARNs = reader.list("SES_SNS_TOPIC_ARNS")
        settings.sesCertificateHost = reader.string("SES_SNS_CERT_HOST") ?? settings.sesCertificateHost
        guard settings.sesCertificateHost.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.*".contains($0)) }) else {
            throw SettingsError(variable: "SES_SNS_CERT_HOST", problem: "must be a host name, `*` standing for one label (sns.*.amazonaws.com)")
        }
        settings.sesCAFile = reader.string("SES_SNS_CA_FILE")
        settings.sendGridPublicKey = reader.string("SENDGRID_WEBHOOK_PUBLIC_KEY")
        if let key = settings.sendGridPublicKey, SendGridWebhook(publicKey: key) == nil {
            throw SettingsError(variable: "SENDGRID_WEBHOOK_PUBLIC_KEY", problem: "must be the base64 DER P-256 public key SendGrid shows")
        }
        settings.mailgunSigningKey = reader.string("MAILGUN_WEBHOOK_SIGNING_KEY")
        settings.postmarkUser = reader.string("POSTMARK_WEBHOOK_USER")
        settings.postmarkPassword = reader.string("POSTMARK_WEBHOOK_PASSWORD")
        if (settings.postmarkUser == nil) != (settings.postmarkPassword == nil) {
            throw SettingsError(variable: "POSTMARK_WEBHOOK_USER", problem: "and POSTMARK_WEBHOOK_PASSWORD go together: set both, or neither")
        }
        if let password = settings.postmarkPassword, password.utf8.count < 16 {
            throw SettingsError(variable: "POSTMARK_WEBHOOK_PASSWORD", problem: "must be at least 16 characters (for example: openssl rand -hex 16)")
        }
        return settings
    }
}
