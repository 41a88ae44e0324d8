import Foundation

/// Everything the service reads from its environment (the README's Settings table), parsed once at start-up.
public struct Settings: Sendable {
    /// A development key: at least 32 bytes (the JWT library refuses shorter HMAC keys), refused in production.
    public static let developmentSecretKey = "meiduo-development-secret-key-do-not-use-in-production"
    public static let minimumSecretKeyLength = 32
    /// Production asks for what Django's deployment check asks: 50 characters, 5 of them distinct.
    public static let productionSecretKeyLength = 50
    public static let productionSecretKeyDistinctCharacters = 5

    public var databaseURL: DatabaseURL
    /// Whose accounts table: the service's own, or a Django shop's `tb_users`.
    public var accounts: AccountsSource
    /// pbkdf2_sha256 iterations of the hashes made with `ACCOUNTS=django`.
    public var djangoPasswordIterations: Int
    public var secretKey: String
    /// Older keys, newest first: tokens and session JWTs signed with one are still accepted (`SECRET_KEY_FALLBACKS`).
    public var secretKeyFallbacks: [String]
    public var verifyEmailTokenExpires: Int64
    /// Seconds a mailed six-digit code is accepted.
    public var verifyCodeTTL: Int64
    /// Seconds the "this was not me" link of an email-change notice works.
    public var revertTTL: Int64
    public var verifyEmailURL: String
    public var verifyEmailResendInterval: Int64
    /// Verification mails one address may get in 24 hours, whichever accounts ask; 0: no cap.
    public var verifyEmailRecipientDailyLimit: Int
    /// Of an address's daily verification mails, the most one account may have sent it; 0: no share.
    public var verifyEmailRecipientAccountLimit = 2
    /// Wrong verification codes an account, or a client address, may enter in 24 hours; 0: no limit.
    public var verifyCodeDailyFailures = 10
    /// Per client, on `POST /authorizations/` and `POST /users/` each; nil: no limit.
    public var authRateLimit: RateLimit?
    /// The header a trusted reverse proxy puts the client's address in (`X-Forwarded-For`, `X-Real-IP`); nil: the
    /// socket's peer address is the client.
    public var rateLimitClientHeader: String?
    /// How many proxies in front of the service append to `rateLimitClientHeader`: the client is the entry that many
    /// from the right.
    public var rateLimitTrustedProxies: Int
    public var jwtExpiration: Int64
    public var bcryptCost: Int
    public var corsAllowedOrigins: [String]
    public var mail: MailSettings
    public var queue: QueueSettings
    public var bounces: BounceSettings
    /// The mail providers' webhooks.
    public var webhooks = WebhookSettings()
    /// A connection pooler in front of PostgreSQL, and where LISTEN goes.
    public var pooler = PoolerSettings()
    public var http: HTTPServerSettings
    /// Static files, among them the verification page `success_verify_email.html`.
    public var publicDirectory: String
    /// PostgreSQL connections per event loop (one event loop per core); SQLite always uses one.
    public var databaseMaxConnections: Int
    /// Seconds a PostgreSQL statement may run, or wait for a lock, before it fails.
    public var databaseStatementTimeout: Int
    /// Whether `GET /emails/verification/?token=` still verifies (the seed's front end); false: 410.
    public var legacyGetVerify: Bool
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`.
    public var metricsToken: String?

    public init(
        databaseURL: DatabaseURL = .sqlite(path: "var/meiduo.sqlite"),
        accounts: AccountsSource = .own,
        djangoPasswordIterations: Int = 600_000,
        secretKey: String = Settings.developmentSecretKey,
        secretKeyFallbacks: [String] = [],
        verifyEmailTokenExpires: Int64 = 86_400,
        verifyCodeTTL: Int64 = 1800,
        revertTTL: Int64 = 7 * 86_400,
        verifyEmailURL: String = "http://127.0.0.1:8080/success_verify_email.html",
        verifyEmailResendInterval: Int64 = 60,
        verifyEmailRecipientDailyLimit: Int = 5,
        authRateLimit: RateLimit? = RateLimit(requests: 20, seconds: 60),
        rateLimitClientHeader: String? = nil,
        rateLimitTrustedProxies: Int = 1,
        jwtExpiration: Int64 = 86_400,
        bcryptCost: Int = 12,
        corsAllowedOrigins: [String] = [],
        mail: MailSettings = .init(),
        queue: QueueSettings = .init(),
        bounces: BounceSettings = .init(),
        http: HTTPServerSettings = .init(),
        publicDirectory: String = "Public/",
        databaseMaxConnections: Int = 4,
        databaseStatementTimeout: Int = 5,
        legacyGetVerify: Bool = true,
        metricsToken: String? = nil
    ) {
        self.databaseURL = databaseURL
        self.accounts = accounts
        self.djangoPasswordIterations = djangoPasswordIterations
        self.secretKey = secretKey
        self.secretKeyFallbacks = secretKeyFallbacks
        self.verifyEmailTokenExpires = verifyEmailTokenExpires
        self.verifyCodeTTL = verifyCodeTTL
        self.revertTTL = revertTTL
        self.verifyEmailURL = verifyEmailURL
        self.verifyEmailResendInterval = verifyEmailResendInterval
        self.verifyEmailRecipientDailyLimit = verifyEmailRecipientDailyLimit
        self.authRateLimit = authRateLimit
        self.rateLimitClientHeader = rateLimitClientHeader
        self.rateLimitTrustedProxies = rateLimitTrustedProxies
        self.jwtExpiration = jwtExpiration
        self.bcryptCost = bcryptCost
        self.corsAllowedOrigins = corsAllowedOrigins
        self.mail = mail
        self.queue = queue
        self.bounces = bounces
        self.http = http
        self.publicDirectory = publicDirectory
        self.databaseMaxConnections = databaseMaxConnections
        self.databaseStatementTimeout = databaseStatementTimeout
        self.legacyGetVerify = legacyGetVerify
        self.metricsToken = metricsToken
    }

    /// Reads the settings from environment variables; any value that does not parse is an error naming the variable.
    public static func load(from variables: [String: String], production: Bool) throws(SettingsError) -> Settings {
        let reader = VariableReader(variables: variables)
        let defaults = Settings()
        var settings = Settings(
            databaseURL: try reader.value("DATABASE_URL", default: defaults.databaseURL, parse: DatabaseURL.init(parsing:)),
            accounts: try reader.value("ACCOUNTS", default: defaults.accounts, parse: AccountsSource.init(rawValue:)),
            djangoPasswordIterations: Int(try reader.integer("DJANGO_PASSWORD_ITERATIONS", default: Int64(defaults.djangoPasswordIterations), minimum: 100_000, maximum: 10_000_000)),
            secretKey: reader.string("SECRET_KEY") ?? defaults.secretKey,
            secretKeyFallbacks: reader.list("SECRET_KEY_FALLBACKS"),
            verifyEmailTokenExpires: try reader.positiveInteger("VERIFY_EMAIL_TOKEN_EXPIRES", default: defaults.verifyEmailTokenExpires),
            verifyCodeTTL: try reader.integer("VERIFY_CODE_TTL", default: defaults.verifyCodeTTL, minimum: 900, maximum: 86_400),
            revertTTL: try reader.integer("REVERT_TTL", default: defaults.revertTTL, minimum: 3600, maximum: 90 * 86_400),
            verifyEmailURL: try reader.value("VERIFY_EMAIL_URL", default: defaults.verifyEmailURL, parse: Self.httpURL),
            verifyEmailResendInterval: try reader.integer("VERIFY_EMAIL_RESEND_INTERVAL", default: defaults.verifyEmailResendInterval, minimum: 0),
            verifyEmailRecipientDailyLimit: Int(try reader.integer("VERIFY_EMAIL_RECIPIENT_DAILY_LIMIT", default: Int64(defaults.verifyEmailRecipientDailyLimit), minimum: 0, maximum: 1000)),
            authRateLimit: try reader.rateLimit("AUTH_RATE_LIMIT", default: defaults.authRateLimit),
            rateLimitClientHeader: reader.string("RATE_LIMIT_CLIENT_HEADER"),
            rateLimitTrustedProxies: Int(try reader.integer("RATE_LIMIT_TRUSTED_PROXIES", default: Int64(defaults.rateLimitTrustedProxies), minimum: 1, maximum: 10)),
            jwtExpiration: try reader.positiveInteger("JWT_EXPIRATION", default: defaults.jwtExpiration),
            bcryptCost: Int(try reader.integer("BCRYPT_COST", default: Int64(defaults.bcryptCost), minimum: 4, maximum: 31)),
            corsAllowedOrigins: reader.list("CORS_ALLOWED_ORIGINS"),
            mail: try MailSettings.load(from: reader),
            queue: try QueueSettings.load(from: reader),
            bounces: try BounceSettings.load(from: reader),
            http: try HTTPServerSettings.load(from: reader),
            publicDirectory: reader.directory("PUBLIC_DIR") ?? defaults.publicDirectory,
            databaseMaxConnections: Int(try reader.integer("DATABASE_MAX_CONNECTIONS", default: Int64(defaults.databaseMaxConnections), minimum: 1, maximum: 100)),
            databaseStatementTimeout: Int(try reader.integer("DATABASE_STATEMENT_TIMEOUT", default: Int64(defaults.databaseStatementTimeout), minimum: 1, maximum: 3600)),
            legacyGetVerify: try reader.flag("LEGACY_GET_VERIFY", default: true),
            metricsToken: reader.string("METRICS_TOKEN")
        )
        settings.webhooks = try WebhookSettings.load(from: reader)
        settings.pooler = try PoolerSettings.load(from: reader)
        settings.verifyEmailRecipientAccountLimit = Int(try reader.integer("VERIFY_EMAIL_RECIPIENT_ACCOUNT_LIMIT", default: Int64(defaults.verifyEmailRecipientAccountLimit), minimum: 0, maximum: 1000))
        settings.verifyCodeDailyFailures = Int(try reader.integer("VERIFY_CODE_DAILY_FAILURES", default: Int64(defaults.verifyCodeDailyFailures), minimum: 0, maximum: 100_000))
        try settings.validate(production: production)
        return settings
    }

    /// Checks that hold whichever way the settings were made.
    public func validate(production: Bool) throws(SettingsError) {
        try queue.validate(mail: mail)
        if Double(http.shutdownTimeout) <= queue.worker.shutdownGraceSeconds {
            throw SettingsError(variable: "SHUTDOWN_TIMEOUT", problem: "must be more than WORKER_SHUTDOWN_GRACE (\(queue.worker.shutdownGraceSeconds) s), so that running jobs can finish or be given back before the process is stopped")
        }
        if production && secretKey == Self.developmentSecretKey {
            throw SettingsError(variable: "SECRET_KEY", problem: "is unset or the development default; production needs a secret of its own (for example: openssl rand -hex 32)")
        }
        if secretKey.utf8.count < Self.minimumSecretKeyLength {
            throw SettingsError(variable: "SECRET_KEY", problem: "must be at least \(Self.minimumSecretKeyLength) bytes long")
        }
        if secretKeyFallbacks.contains(where: { $0.utf8.count < Self.minimumSecretKeyLength }) {
            throw SettingsError(variable: "SECRET_KEY_FALLBACKS", problem: "holds a key shorter than \(Self.minimumSecretKeyLength) bytes")
        }
        if production { try validateForProduction() }
    }

    /// What `--env production` refuses beyond that, each in one line.
    private func validateForProduction() throws(SettingsError) {
        if secretKey.lowercased().contains("change-me") {
            throw SettingsError(variable: "SECRET_KEY", problem: "is the example's placeholder; make one with: openssl rand -hex 32")
        }
        if secretKey.count < Self.productionSecretKeyLength || Set(secretKey).count < Self.productionSecretKeyDistinctCharacters {
            throw SettingsError(variable: "SECRET_KEY", problem: "is too weak for production: it needs at least \(Self.productionSecretKeyLength) characters, \(Self.productionSecretKeyDistinctCharacters) of them different (openssl rand -hex 32)")
        }
        guard let url = URL(string: verifyEmailURL), url.scheme?.lowercased() == "https" else {
            throw SettingsError(variable: "VERIFY_EMAIL_URL", problem: "must be an https URL in production: the link carries the token")
        }
        if Self.isLoopback(host: url.host ?? "") {
            throw SettingsError(variable: "VERIFY_EMAIL_URL", problem: "points at a loopback host; in production it is the public address of the verification page")
        }
    }

    package static func isLoopback(host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1" || host == "0.0.0.0"
    }

    /// What production allows but an operator should know, one line each.
    public var productionWarnings: [String] {
        var warnings: [String] = []
        if case .sqlite = databaseURL {
            warnings.append("DATABASE_URL is SQLite: fine for one host; many servers and workers need PostgreSQL")
        }
        if ["file", "console"].contains(mail.backend.name) {
            warnings.append("EMAIL_BACKEND is \(mail.backend.name): no mail leaves this host; set EMAIL_BACKEND=smtp")
        }
        return warnings
    }

    private static func httpURL(_ text: String) -> String? {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else { return nil }
        return text
    }
}

/// `ACCOUNTS`: `own` (the service's `users` table, bcrypt) or `django` (a Django shop's `tb_users`, its hashes).
public enum AccountsSource: String, Sendable {
    case own, django
}

public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var problem: String
    public var description: String { "\(variable) \(problem)" }

    package init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }
}

/// Reads typed values from a variable dictionary; the errors never echo the value (it may be a secret).
package struct VariableReader {
    package var variables: [String: String]

    package func string(_ name: String) -> String? {
        guard let raw = variables[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    package func value<T>(_ name: String, default fallback: T, parse: (String) -> T?) throws(SettingsError) -> T {
        guard let raw = string(name) else { return fallback }
        guard let parsed = parse(raw) else { throw SettingsError(variable: name, problem: "has a value that cannot be used") }
        return parsed
    }

    package func integer(_ name: String, default fallback: Int64, minimum: Int64, maximum: Int64 = .max) throws(SettingsError) -> Int64 {
        guard let raw = string(name) else { return fallback }
        guard let number = Int64(raw), number >= minimum, number <= maximum else {
            let range = maximum == .max ? "≥ \(minimum)" : "between \(minimum) and \(maximum)"
            throw SettingsError(variable: name, problem: "must be an integer \(range)")
        }
        return number
    }

    package func positiveInteger(_ name: String, default fallback: Int64) throws(SettingsError) -> Int64 {
        try integer(name, default: fallback, minimum: 1)
    }

    /// true/false, 1/0, yes/no, on/off (Django settings are Python booleans); absent is `fallback`.
    package func flag(_ name: String, default fallback: Bool = false) throws(SettingsError) -> Bool {
        guard let raw = string(name)?.lowercased() else { return fallback }
        if ["1", "true", "yes", "on"].contains(raw) { return true }
        if ["0", "false", "no", "off"].contains(raw) { return false }
        throw SettingsError(variable: name, problem: "must be true or false")
    }

    /// A positive number of seconds, fractions allowed.
    package func seconds(_ name: String, default fallback: Double) throws(SettingsError) -> Double {
        guard let raw = string(name) else { return fallback }
        guard let number = Double(raw), number > 0, number.isFinite else {
            throw SettingsError(variable: name, problem: "must be a positive number of seconds")
        }
        return number
    }

    /// `N/SECONDS`, or `off` (nil: no limit).
    package func rateLimit(_ name: String, default fallback: RateLimit?) throws(SettingsError) -> RateLimit? {
        guard let raw = string(name) else { return fallback }
        if raw.lowercased() == "off" { return nil }
        guard let limit = RateLimit(parsing: raw) else {
            throw SettingsError(variable: name, problem: "must be N/SECONDS (like 20/60) or off")
        }
        return limit
    }

    /// Like `seconds`, nil when unset.
    package func optionalSeconds(_ name: String) throws(SettingsError) -> Double? {
        guard string(name) != nil else { return nil }
        return try seconds(name, default: 0)
    }

    /// A folder path, with the trailing slash Vapor's directory settings expect.
    package func directory(_ name: String) -> String? {
        string(name).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }

    package func list(_ name: String) -> [String] {
        (string(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    package init(variables: [String: String]) {
        self.variables = variables
    }
}
