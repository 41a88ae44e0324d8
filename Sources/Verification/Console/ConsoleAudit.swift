import Foundation
import SQLKit

/// Every action taken in the operator's console — who, what, on what, when — kept in the database (the log has a
/// line for each too).
package struct ConsoleAudit: Sendable {
    package let table: String

    package init(table: String) {
        self.table = table
    }

    package struct Entry: Sendable, Decodable, Equatable {
        package var at: Int64
        package var actor: String
        package var action: String
        package var target: String

        package var date: Date { Date(timeIntervalSince1970: Double(at) / 1000) }
    }

    package func record(_ actor: StaffMember, action: String, target: String, at now: Date, on database: any SQLDatabase) async throws {
        try await database.raw("""
            INSERT INTO \(ident: table) (at, actor_id, actor, action, target)
            VALUES (\(bind: AccountAddress.milliseconds(now)), \(bind: actor.id), \(bind: actor.username), \(bind: action), \(bind: target))
            """).run()
    }

    /// Newest first.
    package func recent(limit: Int, on database: any SQLDatabase) async throws -> [Entry] {
        try await database.raw("""
            SELECT at, actor, action, target FROM \(ident: table) ORDER BY id DESC LIMIT \(bind: limit)
            """).all(decoding: Entry.self)
    }
}
