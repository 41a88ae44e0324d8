/// Bounces and suppression: `BOUNCE_*` and `SUPPRESS_DAYS`.
public struct BounceSettings: Sendable {
    /// The plain bounce address; when set, each mail's envelope sender is its signed VERP form
    /// (`bounces+<job>-<tag>@domain`), and `meiduo bounces` takes reports sent to those addresses.
    public var address: String?
    /// Days a hard-bounced address stays suppressed; 0: never suppressed.
    public var suppressDays: Int = 30
    /// `meiduo bounces`' limits: octets per report, open connections, seconds of silence before a connection is
    /// closed.
    public var maximumReportSize = 1_048_576
    public var maximumConnections = 50
    public var timeoutSeconds: Int64 = 60
    /// PEM files; with both, `meiduo bounces` offers STARTTLS.
    public var tlsCertificate: String?
    public var tlsKey: String?

    public init() {}

    package static func load(from reader: VariableReader) throws(SettingsError) -> BounceSettings {
        var settings = BounceSettings()
        if let address = reader.string("BOUNCE_ADDRESS") {
            guard address.count <= 64, BounceAddressFormat.isPlain(address) else {
                throw SettingsError(variable: "BOUNCE_ADDRESS", problem: "must be a plain address like bounces@example.com (no +, at most 64 characters)")
            }
            settings.address = address
        }
        settings.suppressDays = Int(try reader.integer("SUPPRESS_DAYS", default: Int64(settings.suppressDays), minimum: 0, maximum: 3650))
        settings.maximumReportSize = Int(try reader.integer("BOUNCE_MAX_SIZE", default: Int64(settings.maximumReportSize), minimum: 10_000, maximum: 100_000_000))
        settings.maximumConnections = Int(try reader.integer("BOUNCE_MAX_CONNECTIONS", default: Int64(settings.maximumConnections), minimum: 1, maximum: 10_000))
        settings.timeoutSeconds = try reader.integer("BOUNCE_TIMEOUT", default: settings.timeoutSeconds, minimum: 1, maximum: 3600)
        settings.tlsCertificate = reader.string("BOUNCE_TLS_CERT")
        settings.tlsKey = reader.string("BOUNCE_TLS_KEY")
        if (settings.tlsCertificate == nil) != (settings.tlsKey == nil) {
            throw SettingsError(variable: "BOUNCE_TLS_CERT", problem: "and BOUNCE_TLS_KEY go together: set both to offer STARTTLS, or neither")
        }
        return settings
    }
}

package enum BounceAddressFormat {
    /// `local@domain`, ASCII, no `+` (the tag goes there), nothing an SMTP path cannot hold.
    package static func isPlain(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !address.contains("+")
            && address.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) }
    }
}
