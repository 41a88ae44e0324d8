import SQLKit

/// The account a session token names, as the handlers need it — never the password hash, so nothing can save it
/// back over the account.
package struct SignedInUser: Decodable {
    package var id: Int64
    package var username: String
    package var email: String
    package var emailActive: Bool

    package enum CodingKeys: String, CodingKey {
        case id, username, email
        case emailActive = "email_active"
    }

    /// One SQLKit read: a Fluent model query spent more on reflecting the model than the database spent answering.
    package static func find(_ id: Int64, in accounts: any AccountTable.Type, on database: any SQLDatabase) async throws -> SignedInUser? {
        try await database.raw("""
            SELECT id, username, email, email_active FROM \(ident: accounts.name)
            WHERE id = \(bind: id)\(unsafeRaw: accounts.usableCondition)
            """).first(decoding: SignedInUser.self)
    }

    package init(id: Int64, username: String, email: String, emailActive: Bool) {
        self.id = id
        self.username = username
        self.email = email
        self.emailActive = emailActive
    }
}

/// What signing in reads of an account.
package struct SignInAccount: Decodable {
    package var id: Int64
    package var username: String
    package var passwordHash: String

    package enum CodingKeys: String, CodingKey {
        case id, username
        case passwordHash = "password_hash"
    }

    package static func find(username: String, in accounts: any AccountTable.Type, on database: any SQLDatabase) async throws -> SignInAccount? {
        try await database.raw("""
            SELECT id, username, \(ident: accounts.passwordColumn) AS password_hash FROM \(ident: accounts.name)
            WHERE username = \(bind: username)\(unsafeRaw: accounts.usableCondition)
            """).first(decoding: SignInAccount.self)
    }

    /// Whether any account, active or not, has `username`.
    package static func usernameTaken(_ username: String, in accounts: any AccountTable.Type, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("SELECT id FROM \(ident: accounts.name) WHERE username = \(bind: username)").first() != nil
    }

    package init(id: Int64, username: String, passwordHash: String) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
    }
}
