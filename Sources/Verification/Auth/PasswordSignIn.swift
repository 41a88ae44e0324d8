import Logging
import SQLKit

/// Whether a username and password are an account's that may sign in — the API's sign-in and the console's alike.
/// Always runs one password comparison, against a stand-in hash when the name is unknown, so that the answer's
/// timing does not tell which usernames exist.
package struct PasswordSignIn: Sendable {
    package let accounts: any AccountTable.Type
    package let passwords: any PasswordScheme
    package let unknownUserPasswordHash: UnknownUserPasswordHash

    package init(accounts: any AccountTable.Type, passwords: any PasswordScheme, unknownUserPasswordHash: UnknownUserPasswordHash) {
        self.accounts = accounts
        self.passwords = passwords
        self.unknownUserPasswordHash = unknownUserPasswordHash
    }

    /// The account, or nil for an unknown name or a wrong password.
    package func account(username: String, password: String, on database: any SQLDatabase, logger: Logger) async throws -> SignInAccount? {
        let account = try await SignInAccount.find(username: username, in: accounts, on: database)
        let hash = if let account { account.passwordHash } else { try await unknownUserPasswordHash.value() }
        let matches = try await passwords.verifyOffLoop(password, against: hash, logger: logger)
        // A NUL ends what bcrypt reads; no account's password holds one (registration refuses it).
        guard let account, matches, !password.utf8.contains(0) else { return nil }
        return account
    }
}
