import NIOConcurrencyHelpers
import PostgresKit
import SQLKit

/// A statement on a hot path, written once with numbered parameters (`$1`, `$2`, …; no other `$`). On PostgreSQL
/// it runs as a prepared statement, parsed and planned once per connection, where SQLKit's statements are parsed
/// and planned on every call: `GET /emails/verification/` on PostgreSQL went from 8.2k to 10.3k req/s. Elsewhere it
/// runs through SQLKit, as SQLite's `?1`, `?2`, … (SQLite numbers parameters the same way), or as written inside a
/// PostgreSQL transaction's session.
package protocol HotStatement: PostgresPreparedStatement where Row: Sendable {
    /// The parameters' values, in order: `values[0]` is `$1`.
    var values: [any PostgresEncodable & Encodable & Sendable] { get }
    /// Reads a row that came through SQLKit.
    func decodeRow(_ row: any SQLRow) throws -> Row
}

extension HotStatement {
    package func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { try bindings.append(value) }
        return bindings
    }
}

extension SQLDatabase {
    package func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        if let postgres = self as? any PostgresDatabase {
            return try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    try await connection.execute(statement, logger: connection.logger).reduce(into: []) { $0.append($1) }
                }
            }.get()
        }
        // A PostgreSQL session (a transaction's one connection) takes the text as written.
        let marker = dialect.name == "postgresql" ? "$" : "?"
        return try await raw("\(NumberedParameters(statement, marker: marker))").all().map(statement.decodeRow)
    }
}

/// The statement's text with `$n` written as `MARKERn` (`?n` for SQLite), and its values as the binds.
private struct NumberedParameters: SQLExpression {
    let sql: String
    let values: [any Encodable & Sendable]

    /// Each statement's text with `?n`, written once.
    private static let sqliteTexts = NIOLockedValueBox<[ObjectIdentifier: String]>([:])

    init<Statement: HotStatement>(_ statement: Statement, marker: String) {
        if marker == "$" {
            self.sql = Statement.sql
        } else {
            self.sql = Self.sqliteTexts.withLockedValue { texts in
                if let text = texts[ObjectIdentifier(Statement.self)] { return text }
                let text = Statement.sql.replacingOccurrences(of: "$", with: marker)
                texts[ObjectIdentifier(Statement.self)] = text
                return text
            }
        }
        self.values = statement.values
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: values)
    }
}
