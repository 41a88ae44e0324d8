import Logging
import Testing

@testable import Verification

struct PasswordSchemeTests {
    /// Written by the previous release's bcrypt (Vapor's) for "alice-pass-123": scripts/upgrade-fixtures/own-sqlite.sql.
    static let previousReleaseHash = "$2b$12$m1HaZsUclcZhkxH2BXeLmuaQW36EnqGy/ufN8bSzICdcmBHVsyzh2"
    let scheme = BcryptScheme(cost: 4)
    let logger = Logger(label: "test")

    @Test func aHashThePreviousReleaseWroteVerifies() throws {
        #expect(try scheme.verify("alice-pass-123", against: Self.previousReleaseHash, logger: logger))
        #expect(try !scheme.verify("alice-pass-124", against: Self.previousReleaseHash, logger: logger))
    }

    /// `$2a$` (older libraries) and `$2y$` (PHP) name the same algorithm for such a password.
    @Test func theOtherPrefixesOfTheSameHashVerify() throws {
        for prefix in ["$2a$", "$2y$"] {
            let hash = prefix + Self.previousReleaseHash.dropFirst(4)
            #expect(try scheme.verify("alice-pass-123", against: hash, logger: logger), "\(prefix)")
            #expect(try !scheme.verify("alice-pass-12", against: hash, logger: logger), "\(prefix)")
        }
    }

    @Test func aNewHashIsTwoBAtTheCostGivenAndVerifies() throws {
        let hash = try scheme.hash("密码-password")
        #expect(hash.hasPrefix("$2b$04$") && hash.utf8.count == 60)
        #expect(try scheme.verify("密码-password", against: hash, logger: logger))
        #expect(try !scheme.verify("密码-passwore", against: hash, logger: logger))
    }

    @Test func aPasswordLongerThanBcryptReadsNeverVerifies() throws {
        let long = String(repeating: "a", count: 72)
        let hash = try scheme.hash(long)
        #expect(try scheme.verify(long, against: hash, logger: logger))
        #expect(try !scheme.verify(long + "b", against: hash, logger: logger))
    }
}
