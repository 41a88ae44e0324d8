import Foundation
import Logging
import SQLKit

/// A staff account as the console knows it.
package struct StaffMember: Sendable, Equatable, Decodable {
    package var id: Int64
    package var username: String

    package init(id: Int64, username: String) {
        self.id = id
        self.username = username
    }
}

/// Who may use the operator's console: accounts marked staff — `meiduo staff add` on the service's own `users`,
/// Django's `is_staff` on a shop's `tb_users` — that may sign in.
package struct StaffDirectory: Sendable {
    package let accounts: any AccountTable.Type
    package let passwordSignIn: PasswordSignIn

    package init(accounts: any AccountTable.Type, passwordSignIn: PasswordSignIn) {
        self.accounts = accounts
        self.passwordSignIn = passwordSignIn
    }

    /// What a console sign-in decides.
    package enum SignIn: Sendable, Equatable {
        case staff(StaffMember)
        case notStaff
        case badCredentials
    }

    /// Whether the account is staff is told only to who knows its password (`PasswordSignIn`).
    package func signIn(username: String, password: String, on database: any SQLDatabase, logger: Logger) async throws -> SignIn {
        guard let account = try await passwordSignIn.account(username: username, password: password, on: database, logger: logger) else {
            return .badCredentials
        }
        guard let member = try await member(id: account.id, on: database) else { return .notStaff }
        return .staff(member)
    }

    /// The account `id` while it is staff and may sign in; nil once it is not (each console request asks again, so
    /// `meiduo staff remove` or clearing `is_staff` ends its access at once).
    package func member(id: Int64, on database: any SQLDatabase) async throws -> StaffMember? {
        try await database.raw("""
            SELECT id, username FROM \(ident: accounts.name) WHERE id = \(bind: id) AND is_staff\(unsafeRaw: accounts.usableCondition)
            """).first(decoding: StaffMember.self)
    }

    /// Marks or unmarks `username` as staff; false when there is no such account.
    package func setStaff(_ staff: Bool, username: String, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("""
            UPDATE \(ident: accounts.name) SET is_staff = \(bind: staff) WHERE username = \(bind: username) RETURNING id
            """).first() != nil
    }
}
