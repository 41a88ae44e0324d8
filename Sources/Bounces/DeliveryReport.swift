/// What a bounce says happened to one mail: read from an RFC 3464 delivery status notification
/// (`multipart/report; report-type=delivery-status`, its `message/delivery-status` part: `Action`, `Status`,
/// `Diagnostic-Code`, `Final-Recipient`), or, when there is none, from a plain bounce's first line carrying a
/// 5.x.x status.
public struct DeliveryReport: Sendable, Equatable {
    public enum Action: String, Sendable {
        case failed, delayed, delivered, relayed, expanded
    }

    public var action: Action
    /// The RFC 3463 status, `5.1.1`.
    public var status: String?
    /// The remote server's words, unfolded (`smtp; 550 5.1.1 <a@example.com>: Recipient address rejected`).
    public var diagnostic: String?
    public var finalRecipient: String?
    /// Whether it came from a delivery status part (false: guessed from a plain bounce's text).
    public var isStructured: Bool

    public init(action: Action, status: String?, diagnostic: String?, finalRecipient: String?, isStructured: Bool) {
        self.action = action
        self.status = status
        self.diagnostic = diagnostic
        self.finalRecipient = finalRecipient
        self.isStructured = isStructured
    }

    /// A failure whose permanent status speaks of the address (`BounceClass`): it should not be mailed again.
    public var isHardBounce: Bool { action == .failed && status.map(BounceClass.isHard) == true }

    /// Reads a received message; throws `UnreadableReport` when it holds no report and no 5.x.x line.
    public static func read(_ raw: [UInt8]) throws(UnreadableReport) -> DeliveryReport {
        let message = MIMEEntity(MIMEEntity.normalized(raw)[...])
        if let fields = deliveryStatus(in: message, depth: 0) {
            guard let report = report(from: fields) else {
                throw UnreadableReport(reason: "the delivery status part has no recipient block with a known Action")
            }
            return report
        }
        if let line = firstPermanentStatusLine(in: message) {
            return DeliveryReport(action: .failed, status: line.status, diagnostic: line.text, finalRecipient: nil, isStructured: false)
        }
        throw UnreadableReport(reason: "neither a delivery status part nor a 5.x.x status line was found")
    }

    /// The fields of the first recipient block of the first `message/delivery-status` part, with the
    /// per-message block's fields behind them.
    private static func deliveryStatus(in entity: MIMEEntity, depth: Int) -> [[(name: String, value: String)]]? {
        let type = entity.contentType.type
        if type == "message/delivery-status" || type == "message/global-delivery-status" {
            return fieldGroups(entity.decodedBody)
        }
        guard depth < 5 else { return nil }
        for part in entity.parts {
            if let found = deliveryStatus(in: part, depth: depth + 1) { return found }
        }
        return nil
    }

    /// Blank-line separated groups of header-style fields.
    private static func fieldGroups(_ text: String) -> [[(name: String, value: String)]] {
        var groups: [[(name: String, value: String)]] = []
        var rest = text[...]
        while !rest.isEmpty {
            while rest.first == "\n" { rest = rest.dropFirst() }
            guard !rest.isEmpty else { break }
            let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
            groups.append(MIMEEntity(rest[..<end] + "\n").headers)
            rest = rest[end...]
        }
        return groups
    }

    private static func report(from groups: [[(name: String, value: String)]]) -> DeliveryReport? {
        for group in groups.dropFirst() {
            func field(_ name: String) -> String? { group.first { $0.name == name }?.value }
            guard let action = field("action").flatMap({ Action(rawValue: $0.lowercased()) }) else { continue }
            let status = field("status").flatMap { $0.split(separator: " ").first.map(String.init) }
            return DeliveryReport(action: action, status: status.flatMap { isStatus($0[...]) ? $0 : nil },
                                  diagnostic: field("diagnostic-code"),
                                  finalRecipient: field("final-recipient").map(addressPart), isStructured: true)
        }
        return nil
    }

    /// `rfc822; a@example.com` → `a@example.com`.
    private static func addressPart(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The first line of the message's text (or its first text part's) with a 5.x.x status in it.
    private static func firstPermanentStatusLine(in message: MIMEEntity) -> (status: String, text: String)? {
        let text = message.parts.first { $0.contentType.type.hasPrefix("text/") }?.decodedBody ?? message.decodedBody
        for line in text.split(separator: "\n") {
            let tokens = line.split { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            if let status = tokens.first(where: { $0.hasPrefix("5.") && isStatus($0) }) {
                return (String(status), String(line.trimmingCharacters(in: .whitespaces).prefix(300)))
            }
        }
        return nil
    }

    /// `class.subject.detail`: 2, 4 or 5, then one to three digits, then one to three digits.
    private static func isStatus(_ token: Substring) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]) else { return false }
        return parts.dropFirst().allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }
    }
}

/// A received message that could not be read as a bounce; it is kept for the operator all the same.
public struct UnreadableReport: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "unreadable bounce report: \(reason)" }
}
