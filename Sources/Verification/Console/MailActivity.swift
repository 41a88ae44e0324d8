import Foundation
import SQLKit

/// The counts behind the console's overview, read from the delivery log and the links opened: steps per hour and
/// state, mails per day and state, and the verification funnel. What the counts mean is `MailOverview`'s.
package struct MailActivity: Sendable {
    package let deliveries: String
    package let linkOpens: LinkOpens

    package init(tables: ServiceTables, linkOpens: LinkOpens) {
        deliveries = tables.deliveries
        self.linkOpens = linkOpens
    }

    /// One count of a group: a period (hours or days since 1970), a state, how many.
    package struct Count: Sendable, Decodable, Equatable {
        package var period: Int64
        package var state: String
        package var n: Int

        package init(period: Int64, state: String, n: Int) {
            self.period = period
            self.state = state
            self.n = n
        }
    }

    /// Delivery steps since `since`, per hour and state.
    package func stepsPerHour(since: Date, on database: any SQLDatabase) async throws -> [Count] {
        try await database.raw("""
            SELECT at / 3600000 AS period, state, COUNT(*) AS n FROM \(ident: deliveries)
            WHERE at >= \(bind: AccountAddress.milliseconds(since)) GROUP BY at / 3600000, state
            """).all(decoding: Count.self)
    }

    /// Mails that reached each state since `since`, per day: each mail once per state; `sending` counts every mail
    /// handed to the relay, whether it took it or refused it.
    package func mailsPerDay(since: Date, on database: any SQLDatabase) async throws -> [Count] {
        try await database.raw("""
            SELECT at / 86400000 AS period, state, COUNT(DISTINCT job_id) AS n FROM \(ident: deliveries)
            WHERE at >= \(bind: AccountAddress.milliseconds(since)) AND state IN ('sending', 'bounced', 'complained')
            GROUP BY at / 86400000, state
            """).all(decoding: Count.self)
    }

    /// The verification funnel since `since`: verification mails the relay took, links opened, addresses confirmed
    /// by each way.
    package func funnel(since: Date, on database: any SQLDatabase) async throws -> MailOverview.Funnel {
        let from = AccountAddress.milliseconds(since)
        let sent = try await database.raw("""
            SELECT COUNT(DISTINCT job_id) AS n FROM \(ident: deliveries)
            WHERE at >= \(bind: from) AND state = 'sent' AND kind = \(bind: SendVerifyEmailJob.kind)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let confirmations = try await database.raw("""
            SELECT operator_detail AS method, COUNT(*) AS n FROM \(ident: deliveries)
            WHERE at >= \(bind: from) AND state = 'verified' GROUP BY operator_detail
            """).all().map { (try $0.decode(column: "method", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        return MailOverview.Funnel(sent: sent, opened: try await linkOpens.count(since: since, on: database),
                                   confirmations: confirmations)
    }
}
