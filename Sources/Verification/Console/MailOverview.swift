import Foundation

/// What the console's overview shows, made from `MailActivity`'s counts with no database: the last 24 hours, hour
/// by hour; the last 7 days' bounce and complaint rates against the lines mail providers enforce; the funnel.
package enum MailOverview {
    /// Bounces above this share of mails sent get a sender throttled or suspended by the big providers.
    package static let bounceLine = 0.05
    /// Spam complaints above this share, likewise.
    package static let complaintLine = 0.001
    /// The states the hourly chart stacks, in order.
    package static let chartedStates: [DeliveryState] = [.sent, .delivered, .deferred, .bounced, .complained, .verified]

    package struct Hour: Sendable, Equatable {
        package var start: Date
        package var counts: [DeliveryState: Int]

        package var total: Int { counts.values.reduce(0, +) }
    }

    /// The 24 whole hours up to and including the one `now` is in, oldest first, each with its steps by state.
    package static func hours(_ counts: [MailActivity.Count], now: Date) -> [Hour] {
        let current = Int64((now.timeIntervalSince1970 / 3600).rounded(.down))
        return (current - 23...current).map { hour in
            var byState: [DeliveryState: Int] = [:]
            for count in counts where count.period == hour {
                if let state = DeliveryState(rawValue: count.state), chartedStates.contains(state) { byState[state, default: 0] += count.n }
            }
            return Hour(start: Date(timeIntervalSince1970: Double(hour) * 3600), counts: byState)
        }
    }

    package struct Day: Sendable, Equatable {
        package var start: Date
        /// Mails handed to the relay, whether it took them or refused them at once.
        package var sent: Int
        package var bounced: Int
        package var complained: Int

        /// Bounced mails as a share of mails sent that day; nil when none was sent.
        package var bounceRate: Double? { sent == 0 ? nil : Double(bounced) / Double(sent) }
        package var complaintRate: Double? { sent == 0 ? nil : Double(complained) / Double(sent) }
    }

    /// The 7 days (UTC) up to and including today, oldest first.
    package static func days(_ counts: [MailActivity.Count], now: Date) -> [Day] {
        let today = Int64((now.timeIntervalSince1970 / 86_400).rounded(.down))
        return (today - 6...today).map { day in
            func count(_ state: DeliveryState) -> Int {
                counts.filter { $0.period == day && $0.state == state.rawValue }.reduce(0) { $0 + $1.n }
            }
            return Day(start: Date(timeIntervalSince1970: Double(day) * 86_400), sent: count(.sending), bounced: count(.bounced),
                       complained: count(.complained))
        }
    }

    /// The rates over the whole period: what a provider's dashboard would show.
    package static func totals(_ days: [Day]) -> Day {
        Day(start: days.first?.start ?? Date(timeIntervalSince1970: 0), sent: days.reduce(0) { $0 + $1.sent },
            bounced: days.reduce(0) { $0 + $1.bounced }, complained: days.reduce(0) { $0 + $1.complained })
    }

    /// The verification funnel: verification mails sent, links opened, addresses confirmed by each way.
    package struct Funnel: Sendable, Equatable {
        package var sent: Int
        package var opened: Int
        /// Per way (`button`, `code`, `legacy_get`; `earlier` for confirmations recorded before the way was), how many.
        package var byMethod: [String: Int]

        package var confirmed: Int { byMethod.values.reduce(0, +) }

        /// From the verified steps' operator detail (`confirmed by METHOD`).
        package init(sent: Int, opened: Int, confirmations: [(detail: String, count: Int)]) {
            self.sent = sent
            self.opened = opened
            var byMethod: [String: Int] = [:]
            for (detail, count) in confirmations {
                let prefix = DeliveryWording.confirmedByPrefix
                let method = detail.hasPrefix(prefix) ? String(detail.dropFirst(prefix.count)) : "earlier"
                byMethod[method, default: 0] += count
            }
            self.byMethod = byMethod
        }
    }
}
