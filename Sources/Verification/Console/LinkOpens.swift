import Hex
import Crypto
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit

/// Each verification link opened (its page loaded), once per link: the funnel's middle step between mails sent and
/// addresses confirmed. A server remembers the links it has recorded lately, so a page reloaded, or the same link
/// read again and again, writes nothing more.
package final class LinkOpens: Sendable {
    package let table: String
    private let recorded = NIOLockedValueBox(Set<String>())
    private static let remembered = 10_000

    package init(table: String) {
        self.table = table
    }

    /// A link's stand-in: the token is a credential and is never stored.
    package static func digest(of token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(token.utf8)).prefix(16))
    }

    /// Records the link's first opening; a failure is logged, never answered (the page shows either way).
    package func opened(token: String, address: String, at now: Date, on database: any SQLDatabase, logger: Logger) async {
        let digest = Self.digest(of: token)
        let isNew = recorded.withLockedValue { seen in
            if seen.count >= Self.remembered { seen.removeAll(keepingCapacity: true) }
            return seen.insert(digest).inserted
        }
        guard isNew else { return }
        do {
            try await database.raw("""
                INSERT INTO \(ident: table) (link_digest, address, opened_at)
                VALUES (\(bind: digest), \(bind: address.lowercased()), \(bind: AccountAddress.milliseconds(now)))
                ON CONFLICT (link_digest) DO NOTHING
                """).run()
        } catch {
            _ = recorded.withLockedValue { $0.remove(digest) }
            logger.error("recording a verification link's opening failed", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
        }
    }

    /// Links opened since `since`.
    package func count(since: Date, on database: any SQLDatabase) async throws -> Int {
        try await database.raw("""
            SELECT COUNT(*) AS n FROM \(ident: table) WHERE opened_at >= \(bind: AccountAddress.milliseconds(since))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
