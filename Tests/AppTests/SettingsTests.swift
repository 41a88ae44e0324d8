import Foundation
import JobQueue
import Testing
import TestSupport

@testable import API
@testable import App
@testable import Verification

struct SettingsTests {
    @Test func defaultsNeedNothingConfigured() throws {
        let settings = try Settings.load(from: [:], production: false)
        #expect(settings.databaseURL == .sqlite(path: "var/meiduo.sqlite"))
        #expect(settings.verifyEmailTokenExpires == 86_400)
        #expect(settings.verifyEmailURL == "http://127.0.0.1:8080/success_verify_email.html")
        #expect(settings.verifyEmailResendInterval == 60)
    }

    static let production = ["SECRET_KEY": "0f3c9a7be21d4c58a6e0b97f13d2c4e8a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0",
                             "VERIFY_EMAIL_URL": "https://www.meiduo.site/success_verify_email.html"]

    static func productionRefusal(_ changes: [String: String]) throws -> String {
        try #require(throws: SettingsError.self) {
            try Settings.load(from: production.merging(changes) { $1 }, production: true)
        }.description
    }

    @Test func productionRefusesAMissingOrDevelopmentSecretKey() throws {
        #expect(throws: SettingsError.self) { try Settings.load(from: [:], production: true) }
        #expect(throws: SettingsError.self) { try Settings.load(from: ["SECRET_KEY": Settings.developmentSecretKey], production: true) }
        #expect(throws: Never.self) { try Settings.load(from: Self.production, production: true) }
    }

    /// Each in one line: the example's placeholder, a key Django's deployment check calls weak, a link that is not
    /// https or points at this host.
    @Test func productionRefusesWhatTheExampleAndDjangoWouldNot() throws {
        #expect(try Self.productionRefusal(["SECRET_KEY": "change-me-to-the-output-of-openssl-rand-hex-32"])
                == "SECRET_KEY is the example's placeholder; make one with: openssl rand -hex 32")
        #expect(try Self.productionRefusal(["SECRET_KEY": String(repeating: "k", count: 40)]).hasPrefix("SECRET_KEY is too weak for production"))
        #expect(try Self.productionRefusal(["SECRET_KEY": String(repeating: "abcd", count: 20)]).hasPrefix("SECRET_KEY is too weak for production"))
        #expect(try Self.productionRefusal(["VERIFY_EMAIL_URL": "http://www.meiduo.site/success_verify_email.html"])
                == "VERIFY_EMAIL_URL must be an https URL in production: the link carries the token")
        for loopback in ["https://127.0.0.1:8080/p.html", "https://localhost/p.html", "https://[::1]/p.html"] {
            #expect(try Self.productionRefusal(["VERIFY_EMAIL_URL": loopback]).hasPrefix("VERIFY_EMAIL_URL points at a loopback host"), "\(loopback)")
        }
        #expect(throws: Never.self) { try Settings.load(from: Self.production.merging(["VERIFY_EMAIL_URL": "http://127.0.0.1/p.html"]) { $1 }, production: false) }
        let settings = try Settings.load(from: Self.production, production: true)
        #expect(settings.productionWarnings.count == 2, "SQLite and the file backend")
        let fallbacks = try #require(throws: SettingsError.self) {
            try Settings.load(from: ["SECRET_KEY_FALLBACKS": "an-old-key-that-is-long-enough-0123456789, short"], production: false)
        }
        #expect(fallbacks.description == "SECRET_KEY_FALLBACKS holds a key shorter than 32 bytes")
    }

    @Test func aShortSecretKeyIsRefusedEverywhere() throws {
        let error = try #require(throws: SettingsError.self) { try Settings.load(from: ["SECRET_KEY": "short"], production: false) }
        #expect(error.description == "SECRET_KEY must be at least 32 bytes long")
        #expect(!error.description.contains("short\""))
    }

    @Test func badValuesNameTheVariable() throws {
        for (name, value) in [("VERIFY_EMAIL_TOKEN_EXPIRES", "soon"), ("VERIFY_EMAIL_TOKEN_EXPIRES", "0"), ("JWT_EXPIRATION", "-5"),
                              ("DATABASE_URL", "mysql://x"), ("VERIFY_EMAIL_URL", "ftp://x/y"), ("BCRYPT_COST", "3")] {
            let error = try #require(throws: SettingsError.self, "\(name)=\(value)") {
                try Settings.load(from: [name: value], production: false)
            }
            #expect(error.variable == name)
        }
    }

    @Test func theLeaseRenewalAndTheJobTimeLimitMustFitTogether() throws {
        let defaults = try Settings.load(from: [:], production: false)
        #expect(Worker.leaseRenewalSeconds(defaults.queue.worker, leaseSeconds: defaults.queue.queue.leaseSeconds) == 10)
        #expect(defaults.queue.worker.jobTimeoutSeconds == 300)
        let short = try Settings.load(from: ["JOB_LEASE_SECONDS": "6"], production: false)
        #expect(Worker.leaseRenewalSeconds(short.queue.worker, leaseSeconds: 6) == 1, "a sixth of a short lease")
        #expect(short.queue.worker.maintenanceIntervalSeconds == 6, "a short lease is rescued soon after it expires")

        let renewal = try #require(throws: SettingsError.self) {
            try Settings.load(from: ["JOB_LEASE_SECONDS": "30", "JOB_LEASE_RENEW_INTERVAL": "11"], production: false)
        }
        #expect(renewal.description == "JOB_LEASE_RENEW_INTERVAL must be at most a third of JOB_LEASE_SECONDS (30.0 s), so that a missed renewal leaves the lease standing")
        #expect(throws: Never.self) { try Settings.load(from: ["JOB_LEASE_SECONDS": "30", "JOB_LEASE_RENEW_INTERVAL": "10"], production: false) }

        let smtp = ["EMAIL_BACKEND": "smtp", "EMAIL_TIMEOUT": "30"]
        let timeLimit = try #require(throws: SettingsError.self) {
            try Settings.load(from: smtp.merging(["JOB_TIMEOUT": "20"]) { $1 }, production: false)
        }
        #expect(timeLimit.description == "JOB_TIMEOUT must be at least EMAIL_TIMEOUT (30.0 s), the time one SMTP step may take")
        #expect(throws: Never.self) { try Settings.load(from: smtp.merging(["JOB_TIMEOUT": "30"]) { $1 }, production: false) }
        #expect(throws: Never.self) { try Settings.load(from: ["JOB_TIMEOUT": "5"], production: false) }
    }

    @Test func databaseURLs() {
        #expect(DatabaseURL(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(DatabaseURL(parsing: "sqlite://var/a.sqlite") == .sqlite(path: "var/a.sqlite"))
        #expect(DatabaseURL(parsing: "postgres://u:secret@db:5432/meiduo") == .postgres(url: "postgres://u:secret@db:5432/meiduo"))
        #expect(DatabaseURL(parsing: "postgres://u:secret@db:5432/meiduo")?.description == "postgres://u:***@db:5432/meiduo")
        #expect(DatabaseURL(parsing: "sqlite://") == nil)
        #expect(DatabaseURL(parsing: "redis://x") == nil)
    }

    @Test func corsOriginsAreAList() throws {
        let settings = try Settings.load(from: ["CORS_ALLOWED_ORIGINS": "http://a.example:8080, http://b.example"], production: false)
        #expect(settings.corsAllowedOrigins == ["http://a.example:8080", "http://b.example"])
    }
}

/// The settings are listed once, in `SettingsCatalog`; the README's table, the sample settings file and the code
/// that reads the variables are held to it.
struct SettingsCatalogTests {
    static func variablesRead(in source: String) -> Set<String> {
        let pattern = try! Regex(#"(?:(?:string|value|integer|positiveInteger|flag|seconds|optionalSeconds|directory|list|rateLimit)\(|variables\[)"([A-Z][A-Z0-9_]+)""#)
        return Set(source.matches(of: pattern).map { String($0.output[1].substring!) })
    }

    @Test func theReadmeTableIsTheCatalog() throws {
        let readme = try String(contentsOfFile: RepositoryPaths.path("README.md"), encoding: .utf8)
        #expect(readme.contains("\n" + SettingsCatalog.markdownTable + "\n"), "regenerate it with `meiduo settings --markdown`")
    }

    @Test func everyVariableTheCodeReadsIsInTheCatalogAndNoOther() throws {
        var read: Set<String> = []
        for folder in ["Sources/Verification/Settings", "Sources/App/Settings"].map(RepositoryPaths.path) {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".swift") && name != "SettingsCatalog.swift" {
                read.formUnion(Self.variablesRead(in: try String(contentsOfFile: folder + "/" + name, encoding: .utf8)))
            }
        }
        let logging = try String(contentsOfFile: RepositoryPaths.path("Sources/App/Logging/StructuredLogHandler.swift"), encoding: .utf8)
            + String(contentsOfFile: RepositoryPaths.path("Sources/App/Logging/LogLevelCeiling.swift"), encoding: .utf8)
        for name in ["LOG_FORMAT", "LOG_LEVEL"] where logging.contains("\"\(name)\"") { read.insert(name) }
        let catalogued = Set(SettingsCatalog.entries.flatMap(\.names))
        #expect(read.count > 30, "the pattern still finds the reads")
        #expect(read.subtracting(catalogued).isEmpty, "read but not catalogued: \(read.subtracting(catalogued).sorted())")
        #expect(catalogued.subtracting(read).isEmpty, "catalogued but never read: \(catalogued.subtracting(read).sorted())")
    }

    @Test func theSampleSettingsFileUsesOnlyCataloguedVariables() throws {
        let sample = try String(contentsOfFile: RepositoryPaths.path("deploy/meiduo.env.example"), encoding: .utf8)
        let names = sample.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }.map { String($0.prefix { $0 != "=" }) }
        let catalogued = Set(SettingsCatalog.entries.flatMap(\.names))
        #expect(!names.isEmpty)
        #expect(names.filter { !catalogued.contains($0) }.isEmpty)
    }
}
