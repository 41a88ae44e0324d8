import Foundation
import PostgresKit
import SQLKit

/// The statements behind `PUT /email/` and `GET /emails/verification/`, in plain SQL: on these hot paths a Fluent
/// model query spent more on reflecting the model than the database spent answering.
package enum AccountAddress {
    /// What a change decides on: the account's username, the address it holds, whether it is verified, when its
    /// last verification mail was queued, the last verified address it moved away from, and until when a change
    /// needs the password (after an undo; seconds since 1970).
    package struct Current: Decodable {
        package var username: String
        package var email: String
        package var emailActive: Bool
        package var verificationQueuedAt: Date?
        package var lastVerifiedEmail: String?
        package var passwordRequiredUntil: Int64?

        package enum CodingKeys: String, CodingKey {
            case username, email
            case emailActive = "email_active"
            case verificationQueuedAt = "verification_queued_at"
            case lastVerifiedEmail = "last_verified_email"
            case passwordRequiredUntil = "password_required_until"
        }

        package init(username: String, email: String, emailActive: Bool, verificationQueuedAt: Date? = nil,
                     lastVerifiedEmail: String? = nil, passwordRequiredUntil: Int64? = nil) {
            self.username = username
            self.email = email
            self.emailActive = emailActive
            self.verificationQueuedAt = verificationQueuedAt
            self.lastVerifiedEmail = lastVerifiedEmail
            self.passwordRequiredUntil = passwordRequiredUntil
        }

        /// The address every move away from it notifies: the current one while verified, else the last verified
        /// one the account moved away from.
        package var lastVerified: String? { emailActive ? email : lastVerifiedEmail }
    }

    /// Milliseconds since 1970, as the session cut-off is kept.
    package static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// When account `userID`'s sessions were last ended (milliseconds since 1970); nil: never, or no such account.
    package static func sessionsValidAfter<Accounts: AccountTable>(userID: Int64, in accounts: Accounts.Type,
                                                                    on database: any SQLDatabase) async throws -> Int64? {
        try await database.run(SessionsCutoff<Accounts>(userID: userID)).first ?? nil
    }

    private struct SessionsCutoff<Accounts: AccountTable>: HotStatement {
        static var sql: String { Accounts.sessionsValidAfterSQL }
        let userID: Int64
        var values: [any PostgresEncodable & Encodable & Sendable] { [userID] }

        func decodeRow(_ row: PostgresRow) throws -> Int64? {
            try row.decode(Int64?.self)
        }

        func decodeRow(_ row: any SQLRow) throws -> Int64? {
            try row.decodeNil(column: "sessions_valid_after") ? nil : row.decode(column: "sessions_valid_after", as: Int64.self)
        }
    }

    package static func current<Accounts: AccountTable>(userID: Int64, in accounts: Accounts.Type,
                                                on database: any SQLDatabase) async throws -> Current? {
        try await database.run(CurrentAddress<Accounts>(userID: userID)).first
    }

    private struct CurrentAddress<Accounts: AccountTable>: HotStatement {
        static var sql: String { Accounts.currentAddressSQL }
        let userID: Int64
        var values: [any PostgresEncodable & Encodable & Sendable] { [userID] }

        func decodeRow(_ row: PostgresRow) throws -> Current {
            let (username, email, emailActive, queuedAt, lastVerified, passwordUntil) = try row.decode((String, String, Bool, Date?, String?, Int64?).self)
            return Current(username: username, email: email, emailActive: emailActive, verificationQueuedAt: queuedAt,
                           lastVerifiedEmail: lastVerified, passwordRequiredUntil: passwordUntil)
        }

        func decodeRow(_ row: any SQLRow) throws -> Current {
            try row.decode(model: Current.self)
        }
    }

    package enum Activation {
        case activated, alreadyActive, addressReplaced
    }

    /// Marks the address active when the user still has it. Conditional on the address, so a token for an address
    /// the user has since replaced activates nothing; a repeated click only reads, so it takes no write lock.
    package static func activate<Accounts: AccountTable>(userID: Int64, email: String, at now: Date, in accounts: Accounts.Type,
                                                 on database: any SQLDatabase) async throws -> Activation {
        let current = { try await isActive(userID: userID, email: email, in: accounts, on: database) }
        guard let active = try await current() else { return .addressReplaced }
        if active { return .alreadyActive }
        try await database.raw("""
            UPDATE \(ident: Accounts.name) SET email_active = true\(Accounts.updateStamp(now))
            WHERE id = \(bind: userID) AND email = \(bind: email) AND email_active = false
            """).run()
        // Read again: between the first read and the update another request may have replaced the address.
        return try await current() == true ? .activated : .addressReplaced
    }

    /// The address account `username` has now (empty when it has none); nil when there is no such account.
    package static func email(ofUsername username: String, in accounts: any AccountTable.Type,
                              on database: any SQLDatabase) async throws -> String? {
        try await database.raw("SELECT email FROM \(ident: accounts.name) WHERE username = \(bind: username)")
            .first()?.decode(column: "email", as: String.self)
    }

    /// Whether the account's address, if it is still `email`, is verified; nil when it is not.
    package static func isActive<Accounts: AccountTable>(userID: Int64, email: String, in accounts: Accounts.Type,
                                                 on database: any SQLDatabase) async throws -> Bool? {
        try await database.run(ActiveFlag<Accounts>(userID: userID, email: email)).first
    }

    /// Whether the account's address, if it is still `email`, is verified.
    private struct ActiveFlag<Accounts: AccountTable>: HotStatement {
        static var sql: String { "SELECT email_active FROM \(Accounts.name) WHERE id = $1 AND email = $2" }
        let userID: Int64
        let email: String
        var values: [any PostgresEncodable & Encodable & Sendable] { [userID, email] }

        func decodeRow(_ row: PostgresRow) throws -> Bool {
            try row.decode(Bool.self)
        }

        func decodeRow(_ row: any SQLRow) throws -> Bool {
            try row.decode(column: "email_active", as: Bool.self)
        }
    }
}
