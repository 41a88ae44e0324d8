import Foundation
import JobQueue

/// The dead jobs, newest first, a page at a time, with why each died; retry one, or all of them (as `meiduo jobs
/// retry`).
struct DeadJobsPage {
    let layout: Layout
    let jobs: [JobRecord]
    let notice: String?
    let page: ListPage
    let hasOlder: Bool

    var html: String {
        let text = layout.text
        let pages = page.links("/console/dead", hasOlder: hasOlder, text: text)
        guard !jobs.isEmpty else { return layout.page(text.deadJobs, layout.notice(notice) + "<p>\(text.noDeadJobs)</p>" + pages) }
        let rows = jobs.map { job in
            let runAt = Date(timeIntervalSince1970: Double(job.runAt) / 1000)
            return "<tr data-job=\"\(job.id)\"><td>#\(job.id)</td><td>\(escaped(job.kind))</td><td>\(job.attempt)/\(job.maxAttempts)</td>"
                + "<td>\(shown(runAt))</td><td>\(escaped(job.lastError ?? ""))</td>"
                + "<td>\(layout.button(text.retry, action: "/console/dead/retry", fields: [("job", String(job.id))]))</td></tr>"
        }.joined()
        let body = layout.notice(notice) + """
            <p>\(layout.button(text.retryAll, action: "/console/dead/retry", fields: [("job", "all")]))</p>
            <table><tr><th>#</th><th></th><th>\(text.attempts)</th><th>\(text.when)</th><th>\(text.lastError)</th><th></th></tr>\(rows)</table>
            """ + pages
        return layout.page(text.deadJobs, body)
    }
}
