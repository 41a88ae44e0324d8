import Verification

/// The addresses not mailed now (bounced within `SUPPRESS_DAYS`, or complained until lifted), most recent first, a
/// page at a time, each with a button to lift it.
struct SuppressionsPage {
    let layout: Layout
    let entries: [Suppressions.Entry]
    let notice: String?
    let page: ListPage
    let hasOlder: Bool

    var html: String {
        let text = layout.text
        let pages = page.links("/console/suppressions", hasOlder: hasOlder, text: text)
        guard !entries.isEmpty else { return layout.page(text.suppressions, layout.notice(notice) + "<p>\(text.noSuppressions)</p>" + pages) }
        let rows = entries.map { entry in
            let address = escaped(entry.address)
            return "<tr data-address=\"\(address)\"><td><a href=\"/console/address?email=\(escaped(queryValue(entry.address)))\">\(address)</a></td>"
                + "<td>\(entry.isComplaint ? "complained" : escaped(entry.status))</td><td>\(shown(entry.date))</td>"
                + "<td>#\(entry.job_id)</td><td>\(escaped(entry.detail))</td>"
                + "<td>\(layout.button(text.lift, action: "/console/suppressions/lift", fields: [("address", entry.address)]))</td></tr>"
        }.joined()
        return layout.page(text.suppressions, layout.notice(notice) + "<table>\(rows)</table>" + pages)
    }
}
