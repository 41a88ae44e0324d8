import Foundation
import ProviderEvents
import SQLKit

/// Every event a mail provider's webhook delivered, raw, once per provider and event id (a retried callback finds
/// its event here and changes nothing), and the Mailgun tokens already taken.
package struct ProviderEventLog: Sendable {
    package let table: String
    package let tokensTable: String

    /// What became of an event: `applied` to its mail, `unmatched` (no mail of ours), `ignored` (a kind never
    /// applied: opens, clicks…).
    package enum Outcome: String, Sendable {
        case applied, unmatched, ignored
    }

    package struct Entry: Sendable, Decodable, Equatable {
        package var provider: String
        package var name: String
        package var received_at: Int64
        package var outcome: String
        package var raw: String

        package var date: Date { Date(timeIntervalSince1970: Double(received_at)) }
    }

    /// Stores `event`; false when it was stored before (a duplicate).
    package func store(_ event: ProviderEvent, jobID: Int64?, outcome: Outcome, at now: Date, on database: any SQLDatabase) async throws -> Bool {
        try await database.raw("""
            INSERT INTO \(ident: table) (provider, event_id, name, received_at, recipient, job_id, outcome, raw)
            VALUES (\(bind: event.provider.rawValue), \(bind: String(event.eventID.prefix(500))), \(bind: String(event.name.prefix(200))),
                    \(bind: Int64(now.timeIntervalSince1970)), \(bind: event.recipient.lowercased()), \(bind: jobID), \(bind: outcome.rawValue),
                    \(bind: event.raw))
            ON CONFLICT (provider, event_id) DO NOTHING RETURNING id
            """).first() != nil
    }

    /// The events about job `jobID`'s mail, oldest first.
    package func events(jobID: Int64, on database: any SQLDatabase) async throws -> [Entry] {
        try await database.raw("""
            SELECT provider, name, received_at, outcome, raw FROM \(ident: table) WHERE job_id = \(bind: jobID) ORDER BY id
            """).all(decoding: Entry.self)
    }

    /// Takes a signed token once: false when it was taken before. Tokens older than twice the webhooks' clock
    /// tolerance are forgotten, as their timestamps no longer pass.
    package func takeToken(_ token: String, provider: ProviderEvent.Provider, at now: Date, on database: any SQLDatabase) async throws -> Bool {
        let seconds = Int64(now.timeIntervalSince1970)
        try await database.raw("""
            DELETE FROM \(ident: tokensTable) WHERE seen_at < \(bind: seconds - 2 * Int64(WebhookClock.tolerance))
            """).run()
        return try await database.raw("""
            INSERT INTO \(ident: tokensTable) (provider, token, seen_at) VALUES (\(bind: provider.rawValue), \(bind: String(token.prefix(200))), \(bind: seconds))
            ON CONFLICT (provider, token) DO NOTHING RETURNING token
            """).first() != nil
    }

    package init(table: String, tokensTable: String) {
        self.table = table
        self.tokensTable = tokensTable
    }
}
