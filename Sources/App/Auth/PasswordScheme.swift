import DjangoPasswords
import Logging
import Vapor
import Verification

/// How the accounts' passwords are hashed: bcrypt in the service's own table, Django's pbkdf2_sha256 in a shop's.
/// Both take a quarter second or so; callers run them on the thread pool.
protocol PasswordScheme: Sendable {
    /// The longest password, in UTF-8 bytes, the scheme reads in full; nil when there is no such limit.
    var maximumPasswordBytes: Int? { get }
    func hash(_ password: String) throws -> String
    func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool
}

struct BcryptScheme: PasswordScheme {
    /// bcrypt reads only this many bytes of a password: a longer one would be cut without a word, and every
    /// password sharing its first 72 bytes would sign in.
    static let maximumPasswordBytes = 72
    let cost: Int

    var maximumPasswordBytes: Int? { Self.maximumPasswordBytes }

    func hash(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }

    func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool {
        // A password longer than bcrypt reads can belong to no account: it is never cut to fit.
        guard password.utf8.count <= Self.maximumPasswordBytes else { return false }
        return try Bcrypt.verify(password, created: hash)
    }
}

/// Django's hashes (`DjangoPassword`): new ones are pbkdf2_sha256 at `iterations`, so the shop signs their users in too.
struct DjangoScheme: PasswordScheme {
    let iterations: Int

    var maximumPasswordBytes: Int? { nil }

    func hash(_ password: String) throws -> String {
        DjangoPassword.make(password, iterations: iterations)
    }

    func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool {
        switch DjangoPassword.verify(password, against: hash) {
        case .matches: return true
        case .doesNotMatch, .unusable: return false
        case .unsupported(let hasher):
            logger.warning("sign-in refused: the account's password hash is not pbkdf2_sha256; the shop must sign this user in, or rehash the password",
                           metadata: ["hasher": "\(hasher)"])
            return false
        }
    }
}
