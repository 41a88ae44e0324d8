import Foundation
import Verification

/// The overview's charts, drawn on the server as inline SVG: no script, no external resource, and a `viewBox` so they
/// scale down to a phone. Each mark has a `<title>` with its exact figure.
enum SVGCharts {
    static func color(_ state: DeliveryState) -> String {
        switch state {
        case .sent: "#4a7bd0"
        case .delivered: "#2e9d62"
        case .deferred: "#d89614"
        case .bounced: "#d0453b"
        case .complained: "#8e44ad"
        case .verified: "#1b6b8f"
        case .queued, .sending: "#999999"
        }
    }

    /// Stacked bars, one per hour, one segment per delivery state.
    static func hourly(_ hours: [MailOverview.Hour], label: String) -> String {
        let (width, height, base) = (720.0, 200.0, 180.0)
        let top = Double(max(hours.map(\.total).max() ?? 0, 1))
        let slot = width / Double(max(hours.count, 1))
        var marks = ""
        for (index, hour) in hours.enumerated() {
            let x = Double(index) * slot + 2
            var y = base
            let stamp = hour.start.formatted(.iso8601.time(includingFractionalSeconds: false).timeSeparator(.colon)).prefix(5)
            for state in MailOverview.chartedStates {
                guard let n = hour.counts[state], n > 0 else { continue }
                let h = Double(n) / top * (base - 10)
                y -= h
                marks += "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(slot - 4))\" height=\"\(fixed(h))\" fill=\"\(color(state))\">"
                    + "<title>\(stamp) UTC \(state.rawValue): \(n)</title></rect>"
            }
            if index % 3 == 0 {
                marks += "<text x=\"\(fixed(x))\" y=\"196\" font-size=\"11\" fill=\"#555\">\(stamp)</text>"
            }
        }
        marks += "<text x=\"\(fixed(width - 4))\" y=\"12\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">max \(Int(top))</text>"
        return svg(width: width, height: height, label: label, marks: marks + axis(y: base, width: width))
    }

    /// One bar per step of the funnel, the last split by the way addresses were confirmed.
    static func funnel(_ steps: [(label: String, segments: [(name: String, count: Int, color: String)])], label: String) -> String {
        let (width, row) = (720.0, 34.0)
        let top = Double(max(steps.map { $0.segments.reduce(0) { $0 + $1.count } }.max() ?? 0, 1))
        var marks = ""
        for (index, step) in steps.enumerated() {
            let y = Double(index) * row + 4
            var x = 180.0
            let total = step.segments.reduce(0) { $0 + $1.count }
            marks += "<text x=\"0\" y=\"\(fixed(y + 18))\" font-size=\"13\" fill=\"#222\">\(escaped(step.label)): \(total)</text>"
            for segment in step.segments where segment.count > 0 {
                let w = Double(segment.count) / top * (width - 190)
                marks += "<rect x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(w))\" height=\"24\" fill=\"\(segment.color)\">"
                    + "<title>\(escaped(segment.name)): \(segment.count)</title></rect>"
                x += w
            }
        }
        return svg(width: width, height: Double(steps.count) * row + 4, label: label, marks: marks)
    }

    /// A rate per day as bars, against the line a provider enforces (dashed).
    static func rate(_ days: [(start: Date, rate: Double?)], line: Double, label: String) -> String {
        let (width, height, base) = (720.0, 160.0, 140.0)
        let top = max(days.compactMap(\.rate).max() ?? 0, line * 2)
        let slot = width / Double(max(days.count, 1))
        var marks = ""
        for (index, day) in days.enumerated() {
            let x = Double(index) * slot + 8
            let stamp = day.start.formatted(.iso8601.month().day().dateSeparator(.dash))
            if let rate = day.rate {
                let h = rate / top * (base - 10)
                marks += "<rect x=\"\(fixed(x))\" y=\"\(fixed(base - h))\" width=\"\(fixed(slot - 16))\" height=\"\(fixed(h))\" "
                    + "fill=\"\(rate > line ? "#d0453b" : "#4a7bd0")\"><title>\(stamp): \(percent(rate))</title></rect>"
            }
            marks += "<text x=\"\(fixed(x))\" y=\"156\" font-size=\"11\" fill=\"#555\">\(stamp)</text>"
        }
        let lineY = base - line / top * (base - 10)
        marks += "<line x1=\"0\" x2=\"\(fixed(width))\" y1=\"\(fixed(lineY))\" y2=\"\(fixed(lineY))\" stroke=\"#d0453b\" stroke-dasharray=\"6 4\"/>"
            + "<text x=\"4\" y=\"\(fixed(lineY - 4))\" font-size=\"11\" fill=\"#d0453b\">\(percent(line))</text>"
        return svg(width: width, height: height, label: label, marks: marks + axis(y: base, width: width))
    }

    private static func axis(y: Double, width: Double) -> String {
        "<line x1=\"0\" x2=\"\(fixed(width))\" y1=\"\(fixed(y))\" y2=\"\(fixed(y))\" stroke=\"#888\"/>"
    }

    private static func svg(width: Double, height: Double, label: String, marks: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(fixed(width)) \(fixed(height))\" role=\"img\" aria-label=\"\(escaped(label))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\">\(marks)</svg>"
    }

    private static func fixed(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
