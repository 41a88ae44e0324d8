import DjangoPasswords
import HummingbirdBcrypt
import Logging
import NIOPosix

/// How the accounts' passwords are hashed: bcrypt in the service's own table, Django's pbkdf2_sha256 in a shop's.
/// Both take a quarter second or so: `hashOffLoop` and `verifyOffLoop` run them on the thread pool.
package protocol PasswordScheme: Sendable {
    /// The longest password, in UTF-8 bytes, the scheme reads in full; nil when there is no such limit.
    var maximumPasswordBytes: Int? { get }
    func hash(_ password: String) throws -> String
    func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool
}

extension PasswordScheme {
    /// `hash` on the blocking thread pool: bcrypt and PBKDF2 take a quarter of a second, too long for an event loop.
    package func hashOffLoop(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try hash(password) }
    }

    /// `verify` on the blocking thread pool.
    package func verifyOffLoop(_ password: String, against hash: String, logger: Logger) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { try verify(password, against: hash, logger: logger) }
    }
}

package struct BcryptScheme: PasswordScheme {
    /// bcrypt reads only this many bytes of a password: a longer one would be cut without a word, and every
    /// password sharing its first 72 bytes would sign in.
    package static let maximumPasswordBytes = 72
    package let cost: Int

    package var maximumPasswordBytes: Int? { Self.maximumPasswordBytes }

    package func hash(_ password: String) throws -> String {
        Bcrypt.hash(password, cost: UInt8(cost))
    }

    package func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool {
        // A password longer than bcrypt reads can belong to no account: it is never cut to fit.
        guard password.utf8.count <= Self.maximumPasswordBytes else { return false }
        // OpenBSD's bcrypt, which this is, reads `$2a$` and `$2b$`; PHP's `$2y$` is the same algorithm.
        let hash = hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
        return Bcrypt.verify(password, hash: hash)
    }

    package init(cost: Int) {
        self.cost = cost
    }
}

/// Django's hashes (`DjangoPassword`): new ones are pbkdf2_sha256 at `iterations`, so the shop signs their users in too.
package struct DjangoScheme: PasswordScheme {
    package let iterations: Int

    package var maximumPasswordBytes: Int? { nil }

    package func hash(_ password: String) throws -> String {
        DjangoPassword.make(password, iterations: iterations)
    }

    package func verify(_ password: String, against hash: String, logger: Logger) throws -> Bool {
        switch DjangoPassword.verify(password, against: hash) {
        case .matches: return true
        case .doesNotMatch, .unusable: return false
        case .unsupported(let hasher):
            logger.warning("sign-in refused: the account's password hash is not pbkdf2_sha256; the shop must sign this user in, or rehash the password",
                           metadata: ["hasher": "\(hasher)"])
            return false
        }
    }

    package init(iterations: Int) {
        self.iterations = iterations
    }
}
