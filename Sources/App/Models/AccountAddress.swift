import Foundation
import SQLKit

/// The statements behind `PUT /email/` and `GET /emails/verification/`, in plain SQL: on these hot paths a Fluent
/// model query spent more on reflecting the model than the database spent answering.
enum AccountAddress {
    /// What the account held before a change.
    struct Previous: Decodable {
        var email: String
        var emailActive: Bool

        enum CodingKeys: String, CodingKey {
            case email
            case emailActive = "email_active"
        }
    }

    enum Replacement {
        case replaced(Previous)
        case throttled(retryAfter: Int)
        case noSuchUser
    }

    /// Stores `email` unverified and stamps the time its verification mail is queued, unless the last one was
    /// queued less than `resendInterval` seconds before `now`. Run inside a write transaction.
    static func replace(userID: Int64, with email: String, at now: Date, resendInterval: Int64,
                        on database: any SQLDatabase) async throws -> Replacement {
        // An interval of 0 turns the throttle off, also against a racing change that stamped the row a moment
        // after this one read the clock.
        let cutoff = resendInterval > 0 ? now.addingTimeInterval(-Double(resendInterval)) : .distantFuture
        let assignments: SQLQueryString = """
            email = \(bind: email), email_active = false, verification_queued_at = \(bind: now), updated_at = \(bind: now)
            """
        let previous: Previous?
        if database.dialect.name == "postgresql" {
            // One statement: the sub-select locks the row and hands the old values to RETURNING.
            previous = try await database.raw("""
                UPDATE users SET \(assignments)
                FROM (SELECT id, email, email_active FROM users WHERE id = \(bind: userID) FOR UPDATE) AS old
                WHERE users.id = old.id
                  AND (users.verification_queued_at IS NULL OR users.verification_queued_at <= \(bind: cutoff))
                RETURNING old.email, old.email_active
                """).first(decoding: Previous.self)
        } else {
            // SQLite's RETURNING sees only the new row; the write lock the transaction holds keeps the read and
            // the write together.
            previous = try await database.raw("""
                SELECT email, email_active FROM users WHERE id = \(bind: userID)
                  AND (verification_queued_at IS NULL OR verification_queued_at <= \(bind: cutoff))
                """).first(decoding: Previous.self)
            if previous != nil {
                try await database.raw("UPDATE users SET \(assignments) WHERE id = \(bind: userID)").run()
            }
        }
        if let previous { return .replaced(previous) }
        // Nothing changed: the account is gone, or its last mail is too recent.
        let last = try await database.raw("SELECT verification_queued_at FROM users WHERE id = \(bind: userID)")
            .first(decodingColumn: "verification_queued_at", as: Date?.self)
        guard let last else { return .noSuchUser }
        let wait = Double(resendInterval) - now.timeIntervalSince(last ?? now)
        return .throttled(retryAfter: max(1, Int(wait.rounded(.up))))
    }

    enum Activation {
        case activated, alreadyActive, addressReplaced
    }

    /// Marks the address active when the user still has it. Conditional on the address, so a token for an address
    /// the user has since replaced activates nothing; a repeated click only reads, so it takes no write lock.
    static func activate(userID: Int64, email: String, at now: Date,
                         on database: any SQLDatabase) async throws -> Activation {
        let current = {
            try await database.raw("SELECT email_active FROM users WHERE id = \(bind: userID) AND email = \(bind: email)")
                .first(decodingColumn: "email_active", as: Bool.self)
        }
        guard let active = try await current() else { return .addressReplaced }
        if active { return .alreadyActive }
        try await database.raw("""
            UPDATE users SET email_active = true, updated_at = \(bind: now)
            WHERE id = \(bind: userID) AND email = \(bind: email) AND email_active = false
            """).run()
        // Read again: between the first read and the update another request may have replaced the address.
        return try await current() == true ? .activated : .addressReplaced
    }
}
