import Foundation
import PostgresKit
import SQLKit

/// The statements behind `PUT /email/` and `GET /emails/verification/`, in plain SQL: on these hot paths a Fluent
/// model query spent more on reflecting the model than the database spent answering.
enum AccountAddress {
    /// What a change decides on: the address the account holds, whether it is verified, and when its last
    /// verification mail was queued.
    struct Current: Decodable {
        var email: String
        var emailActive: Bool
        var verificationQueuedAt: Date?

        enum CodingKeys: String, CodingKey {
            case email
            case emailActive = "email_active"
            case verificationQueuedAt = "verification_queued_at"
        }
    }

    static func current(userID: Int64, on database: any SQLDatabase) async throws -> Current? {
        try await database.run(CurrentAddress(userID: userID)).first
    }

    private struct CurrentAddress: HotStatement {
        static let sql = "SELECT email, email_active, verification_queued_at FROM users WHERE id = $1"
        let userID: Int64
        var values: [any PostgresEncodable & Encodable & Sendable] { [userID] }

        func decodeRow(_ row: PostgresRow) throws -> Current {
            let (email, emailActive, queuedAt) = try row.decode((String, Bool, Date?).self)
            return Current(email: email, emailActive: emailActive, verificationQueuedAt: queuedAt)
        }

        func decodeRow(_ row: any SQLRow) throws -> Current {
            try row.decode(model: Current.self)
        }
    }

    /// The UPDATE that stores `email` unverified and stamps the time its verification mail is queued, returning
    /// the account's `id` — only while the account still holds `seen` and its last mail was queued no later than
    /// `cutoff`; otherwise it changes nothing and returns no row.
    static func replacement(userID: Int64, seen: Current, with email: String, at now: Date, queuedNoLaterThan cutoff: Date) -> SQLQueryString {
        """
        UPDATE users SET email = \(bind: email), email_active = false, verification_queued_at = \(bind: now), updated_at = \(bind: now)
        WHERE id = \(bind: userID) AND email = \(bind: seen.email) AND email_active = \(bind: seen.emailActive)
          AND (verification_queued_at IS NULL OR verification_queued_at <= \(bind: cutoff))
        RETURNING id
        """
    }

    enum Activation {
        case activated, alreadyActive, addressReplaced
    }

    /// Marks the address active when the user still has it. Conditional on the address, so a token for an address
    /// the user has since replaced activates nothing; a repeated click only reads, so it takes no write lock.
    static func activate(userID: Int64, email: String, at now: Date,
                         on database: any SQLDatabase) async throws -> Activation {
        let current = { try await database.run(ActiveFlag(userID: userID, email: email)).first }
        guard let active = try await current() else { return .addressReplaced }
        if active { return .alreadyActive }
        try await database.raw("""
            UPDATE users SET email_active = true, updated_at = \(bind: now)
            WHERE id = \(bind: userID) AND email = \(bind: email) AND email_active = false
            """).run()
        // Read again: between the first read and the update another request may have replaced the address.
        return try await current() == true ? .activated : .addressReplaced
    }

    /// Whether the account's address, if it is still `email`, is verified.
    private struct ActiveFlag: HotStatement {
        static let sql = "SELECT email_active FROM users WHERE id = $1 AND email = $2"
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
