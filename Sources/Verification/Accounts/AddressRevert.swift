import Crypto
import Foundation
import MeiduoTokens
import SQLKit

/// "This was not me": the owner of a replaced verified address puts it back, verified, from the notice's link.
/// One transaction: the link is marked used (each works once), the account goes back to the old address only while
/// it still holds the new one, and the new address's code is dropped (its links stop working as the account no
/// longer holds it).
package struct AddressRevert: Sendable {
    package enum Outcome: Equatable {
        case reverted
        case alreadyUsed
        /// The account no longer holds the address the link undoes.
        case addressChanged
    }

    package let accounts: any AccountTable.Type
    package let tables: ServiceTables

    /// Whether the link has been used.
    package func isUsed(token: String, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("SELECT used_at FROM \(ident: tables.revertsUsed) WHERE token_hash = \(bind: Self.hash(token))").first() != nil
    }

    private func apply(token: String, claims: RevertClaims, digest: @escaping @Sendable (String) -> String, at now: Date,
                       on database: any SQLDatabase) async throws -> Outcome {
        let accounts = accounts
        let tables = tables
        return try await database.writeTransaction { sql in
            let marked = try await sql.raw("""
                INSERT INTO \(ident: tables.revertsUsed) (token_hash, used_at) VALUES (\(bind: Self.hash(token)), \(bind: Int64(now.timeIntervalSince1970)))
                ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash
                """).first()
            guard marked != nil else { return .alreadyUsed }
            let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            let current = try await sql.raw("SELECT email FROM \(ident: accounts.name) WHERE id = \(bind: claims.userID)\(lock)")
                .first()?.decode(column: "email", as: String.self)
            guard let current, digest(current) == claims.newEmailDigest else { throw NotReverted() }
            try await sql.raw("""
                UPDATE \(ident: accounts.name) SET email = \(bind: claims.oldEmail), email_active = true\(accounts.updateStamp(now))
                WHERE id = \(bind: claims.userID) AND email = \(bind: current)
                """).run()
            try await sql.raw("DELETE FROM \(ident: tables.verificationCodes) WHERE user_id = \(bind: claims.userID)").run()
            return .reverted
        }
    }

    /// Rolls the transaction back (the link stays unused) when the account has moved on.
    private struct NotReverted: Error {}

    /// `digest` maps the account's current address to the link's stand-in for the new one (`RevertLinks`).
    package func attempt(token: String, claims: RevertClaims, digest: @escaping @Sendable (String) -> String, at now: Date,
                 on database: any SQLDatabase) async throws -> Outcome {
        do {
            return try await apply(token: token, claims: claims, digest: digest, at: now, on: database)
        } catch is NotReverted {
            return .addressChanged
        }
    }

    /// Only a digest of each used link is kept.
    package static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    package init(accounts: any AccountTable.Type, tables: ServiceTables) {
        self.accounts = accounts
        self.tables = tables
    }
}
