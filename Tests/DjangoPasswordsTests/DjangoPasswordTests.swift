import Foundation
import Testing

import DjangoPasswords
import TestSupport

/// Against Django 4.2's own hashers, run in a child process (`scripts/django_hashers_tool.py`).
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct DjangoPasswordTests {
    static func django(_ arguments: String...) throws -> String {
        let output = try Subprocess.run(ReferencePython.executable!, [RepositoryPaths.path("scripts/django_hashers_tool.py")] + arguments)
        #expect(output.status == 0)
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aHashDjangoMadeWithItsDefaultIterationsMatchesOnlyItsPassword() throws {
        let encoded = try Self.django("make", "pass-word-123 密码")
        #expect(encoded.hasPrefix("pbkdf2_sha256$\(DjangoPassword.defaultIterations)$"))
        #expect(DjangoPassword.verify("pass-word-123 密码", against: encoded) == .matches)
        #expect(DjangoPassword.verify("pass-word-124 密码", against: encoded) == .doesNotMatch)
        #expect(DjangoPassword.verify("", against: encoded) == .doesNotMatch)
    }

    @Test(arguments: [1, 1_000, 260_000])
    func anyIterationCountIsRead(iterations: Int) throws {
        let encoded = try Self.django("make", "another-password", String(iterations))
        #expect(DjangoPassword.verify("another-password", against: encoded) == .matches)
    }

    @Test func djangoAcceptsTheHashesMadeHere() throws {
        let encoded = DjangoPassword.make("made-here-密码", iterations: 1_000)
        #expect(try Self.django("check", "made-here-密码", encoded) == "True")
        #expect(try Self.django("check", "made-here-密码x", encoded) == "False")
        #expect(DjangoPassword.make("p").hasPrefix("pbkdf2_sha256$600000$"))
    }

    @Test func anUnusablePasswordNeverMatches() throws {
        let encoded = try Self.django("unusable")
        #expect(encoded.hasPrefix("!"))
        #expect(DjangoPassword.verify("", against: encoded) == .unusable)
        #expect(DjangoPassword.verify(encoded, against: encoded) == .unusable)
    }

    @Test func otherHashersAreNamedNotGuessedAt() {
        let argon2 = "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$r7YlTyt/DUG+qoBp9i3B0g"
        #expect(DjangoPassword.verify("x", against: argon2) == .unsupported(hasher: "argon2"))
        #expect(DjangoPassword.verify("x", against: "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuu") == .unsupported(hasher: "bcrypt_sha256"))
        #expect(DjangoPassword.verify("x", against: "scrypt$16384$salt$8$1$aGFzaA==") == .unsupported(hasher: "scrypt"))
        #expect(DjangoPassword.verify("x", against: "") == .unsupported(hasher: "malformed"))
        #expect(DjangoPassword.verify("x", against: "pbkdf2_sha256$0$salt$aGFzaA==") == .unsupported(hasher: "malformed pbkdf2_sha256"))
        #expect(DjangoPassword.verify("x", against: "pbkdf2_sha256$99999999999$salt$aGFzaA==") == .unsupported(hasher: "malformed pbkdf2_sha256"))
        #expect(DjangoPassword.verify("x", against: "pbkdf2_sha256$1000$salt$not base64") == .unsupported(hasher: "malformed pbkdf2_sha256"))
    }
}
