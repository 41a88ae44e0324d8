import Foundation

/// Text made safe for HTML (element content and quoted attribute values alike).
func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// Text as one value in a URL's query: everything but letters and digits percent-encoded.
func queryValue(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
}

/// A moment as the console shows it: UTC, to the second.
func shown(_ date: Date) -> String {
    date.formatted(.iso8601.year().month().day().dateSeparator(.dash).dateTimeSeparator(.space).time(includingFractionalSeconds: false)
        .timeSeparator(.colon)) + " UTC"
}

/// A share as a percentage with the precision the provider lines need (0.1%).
func percent(_ rate: Double?) -> String {
    guard let rate else { return "–" }
    return String(format: "%.2f%%", rate * 100)
}
