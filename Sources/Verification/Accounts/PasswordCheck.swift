import Logging
import SQLKit

/// Whether a password is an account's own, for a signed-in request that must show it (a change of address soon
/// after an undo). The comparison runs on the thread pool: bcrypt and PBKDF2 take a quarter of a second.
package struct PasswordCheck: Sendable {
    package let accounts: any AccountTable.Type
    package let passwords: any PasswordScheme

    package func matches(_ password: String, userID: Int64, on database: any SQLDatabase, logger: Logger) async throws -> Bool {
        guard let hash = try await database.raw("""
            SELECT \(ident: accounts.passwordColumn) AS hash FROM \(ident: accounts.name) WHERE id = \(bind: userID)
            """).first()?.decode(column: "hash", as: String.self) else { return false }
        return try await passwords.verifyOffLoop(password, against: hash, logger: logger)
    }

    package init(accounts: any AccountTable.Type, passwords: any PasswordScheme) {
        self.accounts = accounts
        self.passwords = passwords
    }
}
