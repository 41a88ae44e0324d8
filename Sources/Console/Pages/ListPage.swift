import Foundation
import Hummingbird

/// One page of a long list (`?page=N`, from 1): `size` rows at a time, newest first. A page reads one row more than
/// it shows, to know whether an older page follows.
struct ListPage {
    static let size = 100
    /// Far enough for any list an operator pages through; a larger number is this one.
    static let last = 10_000

    let number: Int

    init(_ request: Request) {
        number = min(Self.last, max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1))
    }

    var offset: Int { (number - 1) * Self.size }
    /// The rows to read: one more than a page shows.
    var limit: Int { Self.size + 1 }

    /// The rows read, cut to the page, and whether an older page follows.
    func cut<Row>(_ rows: [Row]) -> (rows: [Row], hasOlder: Bool) {
        (Array(rows.prefix(Self.size)), rows.count > Self.size)
    }

    /// Links to the newer and the older page of `path`, where there are such pages.
    func links(_ path: String, hasOlder: Bool, text: ConsoleText) -> String {
        var links: [String] = []
        if number > 1 { links.append("<a href=\"\(path)?page=\(number - 1)\" rel=\"prev\">← \(text.newerPage)</a>") }
        if hasOlder { links.append("<a href=\"\(path)?page=\(number + 1)\" rel=\"next\">\(text.olderPage) →</a>") }
        return links.isEmpty ? "" : "<p class=\"pager\">\(text.page.replacingOccurrences(of: "%d", with: String(number))) · " + links.joined(separator: " ") + "</p>"
    }
}
