import Foundation
import Verification

/// One address's mail as a timeline — what `meiduo mail status` prints — with the raw bounce reports and provider
/// events, and its suppression with a button to lift it.
struct AddressPage {
    let layout: Layout
    let address: String
    let mails: [AddressHistory.Mail]
    let suppression: Suppressions.Entry?

    var html: String {
        let text = layout.text
        var body = mails.isEmpty ? "<p>\(text.noMail)</p>" : mails.map(mail).joined()
        if let suppression {
            let cause = suppression.isComplaint ? "complained" : suppression.status
            body += "<p class=\"error\" data-figure=\"suppressed\">\(text.suppressedSince) \(shown(suppression.date)) (\(escaped(cause)), #\(suppression.job_id)) "
                + layout.button(text.lift, action: "/console/suppressions/lift", fields: [("address", suppression.address)]) + "</p>"
        } else {
            body += "<p data-figure=\"not-suppressed\">\(text.notSuppressed)</p>"
        }
        return layout.page(address, body)
    }

    private func mail(_ mail: AddressHistory.Mail) -> String {
        let text = layout.text
        let steps = mail.steps.map { step in
            let detail = step.operator_detail.isEmpty ? "" : "<br><small>\(escaped(step.operator_detail))</small>"
            return "<tr data-state=\"\(escaped(step.state))\"><td>\(shown(step.date))</td><td>\(escaped(step.state))</td>"
                + "<td>\(escaped(step.detail))\(detail)</td></tr>"
        }.joined()
        let reports = mail.reports.map { report in
            let summary = report.summary
            return "<details><summary>bounce report #\(summary.id), \(shown(Date(timeIntervalSince1970: Double(summary.received_at)))): "
                + "\(escaped(summary.outcome)), \(summary.size) octets</summary><pre>\(escaped(String(decoding: report.raw, as: UTF8.self)))</pre></details>"
        }.joined()
        let events = mail.events.map { event in
            "<details><summary>\(escaped(event.provider)) \(escaped(event.name)), \(shown(event.date)): \(escaped(event.outcome))</summary>"
                + "<pre>\(escaped(event.raw))</pre></details>"
        }.joined()
        return """
        <h2 id="mail-\(mail.jobID)">#\(mail.jobID) \(escaped(mail.kind))</h2>
        <table><tr><th>\(text.when)</th><th>\(text.state)</th><th></th></tr>\(steps)</table>\(reports)\(events)
        """
    }
}
