import Foundation

/// Reads one parameter from a URL query. Vapor's `request.query` decodes the whole query through Codable, which
/// cost more than all the rest of `GET /emails/verification/` under load.
enum QueryString {
    /// The value of `name`, percent-decoded with `+` as a space; the last one when the name repeats, as Django's
    /// `QueryDict.get` answers. Nil when absent or not valid percent-encoding.
    static func value(of name: String, in query: String?) -> String? {
        guard let query else { return nil }
        var found: Substring?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if decode(parts[0]) == name { found = parts.count == 2 ? parts[1] : "" }
        }
        return found.flatMap(decode)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
