import Hex
import Crypto
import Foundation
import MeiduoTokens
import SQLKit

/// "This was not me": the owner of the last verified address puts it back, verified, from the notice's link — whatever
/// the account moved to since (A → B → C undone by A's link gives A). One transaction: the link is marked used (each
/// works once), the account goes back to the old address, optionally with a new password, every session issued before
/// now ends (a token from before answers 401), a change of address needs the password for `REVERT_TTL`, and the
/// verification codes are dropped (the links to the other address stop working as the account no longer holds it).
package struct AddressRevert: Sendable {
    package enum Outcome: Equatable {
        case reverted
        case alreadyUsed
        /// The account is gone.
        case addressChanged
    }

    package let accounts: any AccountTable.Type
    package let tables: ServiceTables
    /// Seconds a change of address needs the password after an undo.
    package let passwordRequiredSeconds: Int64

    /// Whether the link has been used.
    package func isUsed(token: String, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("SELECT used_at FROM \(ident: tables.revertsUsed) WHERE token_hash = \(bind: Self.hash(token))").first() != nil
    }

    private func apply(token: String, claims: RevertClaims, newPasswordHash: String?, at now: Date,
                       on database: any SQLDatabase) async throws -> Outcome {
        let accounts = accounts
        let tables = tables
        let passwordRequiredUntil = Int64(now.timeIntervalSince1970) + passwordRequiredSeconds
        return try await database.writeTransaction { sql in
            let marked = try await sql.raw("""
                INSERT INTO \(ident: tables.revertsUsed) (token_hash, used_at) VALUES (\(bind: Self.hash(token)), \(bind: Int64(now.timeIntervalSince1970)))
                ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash
                """).first()
            guard marked != nil else { return .alreadyUsed }
            let password: SQLQueryString = newPasswordHash.map { ", \(ident: accounts.passwordColumn) = \(bind: $0)" } ?? ""
            let restored = try await sql.raw("""
                UPDATE \(ident: accounts.name) SET email = \(bind: claims.oldEmail), email_active = true\(password)\(accounts.updateStamp(now))
                WHERE id = \(bind: claims.userID) RETURNING id
                """).first()
            guard restored != nil else { throw NotReverted() }
            try await accounts.endSessions(userID: claims.userID, at: now, passwordRequiredUntil: passwordRequiredUntil, on: sql)
            try await sql.raw("DELETE FROM \(ident: tables.verificationCodes) WHERE user_id = \(bind: claims.userID)").run()
            return .reverted
        }
    }

    /// Rolls the transaction back (the link stays unused) when the account is gone.
    private struct NotReverted: Error {}

    /// `newPasswordHash`: the account's new password, hashed, when the owner set one with the undo.
    package func attempt(token: String, claims: RevertClaims, newPasswordHash: String? = nil, at now: Date,
                         on database: any SQLDatabase) async throws -> Outcome {
        do {
            return try await apply(token: token, claims: claims, newPasswordHash: newPasswordHash, at: now, on: database)
        } catch is NotReverted {
            return .addressChanged
        }
    }

    /// Only a digest of each used link is kept.
    package static func hash(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(token.utf8)))
    }

    package init(accounts: any AccountTable.Type, tables: ServiceTables, passwordRequiredSeconds: Int64) {
        self.accounts = accounts
        self.tables = tables
        self.passwordRequiredSeconds = passwordRequiredSeconds
    }
}
