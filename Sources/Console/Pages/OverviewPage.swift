import Foundation
import JobQueue
import Verification

/// The overview: jobs by state and the oldest waiting one's age; the last 24 hours' mail by delivery state; the
/// verification funnel; bounce and complaint rates against the providers' lines; the last actions taken here.
/// Every figure is also in a table cell marked `data-figure`, for people who read rather than look.
struct OverviewPage {
    let layout: Layout
    let jobs: [JobState: Int]
    let oldestWaitingSeconds: Double
    let hours: [MailOverview.Hour]
    let days: [MailOverview.Day]
    let funnel: MailOverview.Funnel
    let audit: [ConsoleAudit.Entry]

    var html: String {
        let text = layout.text
        return layout.page(text.overview, [jobsSection, hourlySection, funnelSection, ratesSection, auditSection].joined(separator: "\n"))
    }

    private var jobsSection: String {
        let text = layout.text
        let rows = JobState.allCases.map { state in
            "<tr><th>\(state.rawValue)</th><td data-figure=\"jobs-\(state.rawValue)\">\(jobs[state] ?? 0)</td></tr>"
        }.joined()
        let oldest = oldestWaitingSeconds > 0 ? "\(Int(oldestWaitingSeconds.rounded())) s" : text.none
        return """
        <h2>\(text.jobs)</h2><table>\(rows)</table>
        <p>\(text.oldestWaiting): <span class="figure" data-figure="oldest-waiting">\(oldest)</span></p>
        """
    }

    private var hourlySection: String {
        let text = layout.text
        let legend = MailOverview.chartedStates.map { state in
            let total = hours.reduce(0) { $0 + ($1.counts[state] ?? 0) }
            return "<span>\(swatch(SVGCharts.color(state)))\(state.rawValue) <b data-figure=\"day-\(state.rawValue)\">\(total)</b></span>"
        }.joined()
        return "<h2>\(text.mailsPerHour)</h2>\(SVGCharts.hourly(hours, label: text.mailsPerHour))<p class=\"legend\">\(legend)</p>"
    }

    private var funnelSection: String {
        let text = layout.text
        let methods = funnel.byMethod.sorted { $0.key < $1.key }
        let palette = ["#1b6b8f", "#2e9d62", "#8e44ad", "#999999"]
        let segments = methods.enumerated().map { (name: $1.key, count: $1.value, color: palette[$0 % palette.count]) }
        let chart = SVGCharts.funnel([
            (text.mailsSent, [(text.mailsSent, funnel.sent, "#4a7bd0")]),
            (text.linksOpened, [(text.linksOpened, funnel.opened, "#d89614")]),
            (text.confirmed, segments),
        ], label: text.funnel)
        let byMethod = methods.map { "<tr><th>\(text.confirmed) · \(escaped($0.key))</th><td data-figure=\"confirmed-\(escaped($0.key))\">\($0.value)</td></tr>" }
        return """
        <h2>\(text.funnel)</h2>\(chart)
        <table><tr><th>\(text.mailsSent)</th><td data-figure="funnel-sent">\(funnel.sent)</td></tr>
        <tr><th>\(text.linksOpened)</th><td data-figure="funnel-opened">\(funnel.opened)</td></tr>
        <tr><th>\(text.confirmed)</th><td data-figure="funnel-confirmed">\(funnel.confirmed)</td></tr>\(byMethod.joined())</table>
        """
    }

    private var ratesSection: String {
        let text = layout.text
        let total = MailOverview.totals(days)
        let bounce = SVGCharts.rate(days.map { ($0.start, $0.bounceRate) }, line: MailOverview.bounceLine, label: text.bounceRate)
        let complaint = SVGCharts.rate(days.map { ($0.start, $0.complaintRate) }, line: MailOverview.complaintLine, label: text.complaintRate)
        return """
        <h2>\(text.rates)</h2>
        <p>\(text.bounceRate): <span class="figure" data-figure="bounce-rate">\(percent(total.bounceRate))</span> \
        (\(total.bounced) / \(total.sent); \(text.providerLine) \(percent(MailOverview.bounceLine)))</p>\(bounce)
        <p>\(text.complaintRate): <span class="figure" data-figure="complaint-rate">\(percent(total.complaintRate))</span> \
        (\(total.complained) / \(total.sent); \(text.providerLine) \(percent(MailOverview.complaintLine)))</p>\(complaint)
        """
    }

    private var auditSection: String {
        let text = layout.text
        guard !audit.isEmpty else { return "" }
        let rows = audit.map {
            "<tr><td>\(shown($0.date))</td><td>\(escaped($0.actor))</td><td>\(escaped($0.action))</td><td>\(escaped($0.target))</td></tr>"
        }.joined()
        return "<h2>\(text.recentActions)</h2><table>\(rows)</table>"
    }

    private func swatch(_ color: String) -> String {
        "<svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"\(color)\"/></svg>"
    }
}
