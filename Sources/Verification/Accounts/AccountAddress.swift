import Foundation
import PostgresKit
import SQLKit

/// The statements behind `PUT /email/` and `GET /emails/verification/`, in plain SQL: on these hot paths a Fluent
/// model query spent more on reflecting the model than the database spent answering.
package enum AccountAddress {
    /// What a change decides on: the account's username, the address it holds, whether it is verified, and when
    /// its last verification mail was queued.
    package struct Current: Decodable {
        package var username: String
        package var email: String
        package var emailActive: Bool
        package var verificationQueuedAt: Date?

        package enum CodingKeys: String, CodingKey {
            case username, email
            case emailActive = "email_active"
            case verificationQueuedAt = "verification_queued_at"
        }

        package init(username: String, email: String, emailActive: Bool, verificationQueuedAt: Date? = nil) {
            self.username = username
            self.email = email
            self.emailActive = emailActive
            self.verificationQueuedAt = verificationQueuedAt
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
            let (username, email, emailActive, queuedAt) = try row.decode((String, String, Bool, Date?).self)
            return Current(username: username, email: email, emailActive: emailActive, verificationQueuedAt: queuedAt)
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
