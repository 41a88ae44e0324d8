import ConstantTime
import Crypto
import CryptoExtras
import Foundation

/// Django's password hashes, as `django.contrib.auth.hashers` writes them in the `password` column:
/// `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` is checked (any iteration count) and made; a hash starting
/// with `!` is Django's unusable password and never matches; any other hasher is reported, never guessed at.
public enum DjangoPassword {
    /// Django 4.2's iteration count for new hashes (`PBKDF2PasswordHasher.iterations`).
    public static let defaultIterations = 600_000
    /// Beyond this a stored hash is refused rather than computed for minutes.
    public static let maximumIterations = 100_000_000

    public enum Verdict: Equatable, Sendable {
        case matches
        case doesNotMatch
        /// `set_unusable_password()`: no password signs in.
        case unusable
        /// A hash this service does not check: the hasher's name (`argon2`, `bcrypt_sha256`, `scrypt`, …), or
        /// `malformed` when the value is no hash at all.
        case unsupported(hasher: String)
    }

    public static func verify(_ password: String, against encoded: String) -> Verdict {
        if encoded.hasPrefix("!") { return .unusable }
        let parts = encoded.split(separator: "$", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts[0] == "pbkdf2_sha256" else { return .unsupported(hasher: hasherName(parts)) }
        guard parts.count == 4, let iterations = Int(parts[1]), (1...maximumIterations).contains(iterations),
              let expected = Data(base64Encoded: String(parts[3])), expected.count > 0
        else { return .unsupported(hasher: "malformed pbkdf2_sha256") }
        let derived = derive(password, salt: String(parts[2]), iterations: iterations, byteCount: expected.count)
        return ConstantTime.equal(derived, expected) ? .matches : .doesNotMatch
    }

    /// A new hash as Django makes one: a 22-character salt from Django's alphabet, 32 bytes of PBKDF2-HMAC-SHA256.
    public static func make(_ password: String, iterations: Int = defaultIterations) -> String {
        let salt = String((0..<22).map { _ in saltAlphabet.randomElement()! })
        let hash = derive(password, salt: salt, iterations: iterations, byteCount: 32).base64EncodedString()
        return "pbkdf2_sha256$\(iterations)$\(salt)$\(hash)"
    }

    /// The hasher a foreign hash names, when it names one (Django's are short lowercase identifiers); nothing else
    /// of the stored value is repeated.
    static func hasherName(_ parts: [Substring]) -> String {
        let name = parts[0]
        let identifier = !name.isEmpty && name.count <= 32 && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        return parts.count > 1 && identifier ? String(name) : "malformed"
    }

    static let saltAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static func derive(_ password: String, salt: String, iterations: Int, byteCount: Int) -> Data {
        // Only an allocation failure in BoringSSL makes this throw.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: Array(salt.utf8), using: .sha256,
                                                     outputByteCount: byteCount, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Data($0) }
    }
}
