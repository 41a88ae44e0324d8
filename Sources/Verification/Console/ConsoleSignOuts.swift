import Crypto
import Foundation
import Hex
import SQLKit

/// Console sessions ended by signing out. A session cookie is signed, not stored, so a copy of it would stay good
/// until it expires; the sign-out is kept instead — a digest of the session's nonce, never the nonce — until then,
/// and every console request is checked against it.
package struct ConsoleSignOuts: Sendable {
    package let table: String
    private let pruning = OncePerPeriod(seconds: 3600)

    package init(table: String) {
        self.table = table
    }

    /// Ends the session with `nonce`, from `now` until it would have expired; clears, about once an hour, the
    /// sign-outs of sessions expired since.
    package func signOut(nonce: String, at now: Date, on database: any SQLDatabase) async throws {
        let seconds = Int64(now.timeIntervalSince1970)
        if pruning.isDue(at: seconds) {
            try await database.raw("DELETE FROM \(ident: table) WHERE expires_at <= \(bind: seconds)").run()
        }
        try await database.raw("""
            INSERT INTO \(ident: table) (nonce_digest, expires_at) VALUES (\(bind: Self.digest(of: nonce)), \(bind: seconds + ConsoleSessions.lifetime))
            ON CONFLICT (nonce_digest) DO NOTHING
            """).run()
    }

    package func isSignedOut(nonce: String, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("SELECT 1 AS signed_out FROM \(ident: table) WHERE nonce_digest = \(bind: Self.digest(of: nonce))").first() != nil
    }

    private static func digest(of nonce: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(nonce.utf8)))
    }
}
