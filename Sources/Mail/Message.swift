import Foundation

/// An email ready to send: RFC 5322 headers, and a MIME body that is `multipart/alternative` (text + HTML) when
/// both bodies are given. Parts are UTF-8 in base64, so every line is short and no line starts with a dot.
public struct Message: Sendable {
    public var from: Mailbox
    public var to: [Mailbox]
    public var subject: String
    public var text: String?
    public var html: String?
    public var date: Date
    /// Without angle brackets, e.g. `job-42.1795592644@example.com`.
    public var messageID: String
    /// More header fields, after the standard ones: ASCII names and values (a provider's tags).
    public var extraHeaders: [(name: String, value: String)] = []

    public init(from: Mailbox, to: [Mailbox], subject: String, text: String? = nil, html: String? = nil,
                date: Date = Date(), messageID: String? = nil, extraHeaders: [(name: String, value: String)] = []) throws(MessageError) {
        guard !to.isEmpty else { throw .noRecipients }
        guard text != nil || html != nil else { throw .noBody }
        if subject.containsControlCharacter(allowTab: true) { throw .controlCharacter(field: "subject") }
        let messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(from.domain)"
        if messageID.containsControlCharacter() || messageID.contains(where: { $0 == "<" || $0 == ">" || $0 == " " }) {
            throw .controlCharacter(field: "Message-ID")
        }
        for (name, value) in extraHeaders where name.isEmpty || !(name + value).allSatisfy(\.isASCII) || name.contains(":")
            || name.containsControlCharacter() || value.containsControlCharacter(allowTab: true) {
            throw .controlCharacter(field: name)
        }
        self.extraHeaders = extraHeaders
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
    }

    public var envelope: Envelope {
        Envelope(from: from.address, recipients: to.map(\.address), messageID: messageID)
    }

    /// The whole message as sent: CRLF line ends throughout.
    public func render(boundary: String = "=_meiduo_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()) -> [UInt8] {
        var lines = [
            "From: " + from.headerValue,
            "To: " + to.map(\.headerValue).joined(separator: ",\r\n "),
            "Subject: " + EncodedWord.unstructured(subject),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <" + messageID + ">",
        ] + extraHeaders.map { "\($0.name): \($0.value)" } + [
            "MIME-Version: 1.0",
        ]
        switch (text, html) {
        case let (text?, html?):
            lines.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
            lines.append("")
            for (subtype, body) in [("plain", text), ("html", html)] {
                lines.append("--" + boundary)
                lines += Self.part(subtype: subtype, body: body)
            }
            lines.append("--" + boundary + "--")
        default:
            lines += Self.part(subtype: text != nil ? "plain" : "html", body: text ?? html ?? "")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    private static func part(subtype: String, body: String) -> [String] {
        [
            "Content-Type: text/\(subtype); charset=\"utf-8\"",
            "Content-Transfer-Encoding: base64",
            "",
        ] + base64Lines(Array(body.utf8))
    }

    /// Base64 in lines of 76 characters (RFC 2045 §6.8).
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = [UInt8](Data(bytes).base64EncodedData())
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        }
    }

    /// `Wed, 25 Nov 2026 07:44:04 +0000`, always in UTC; built by hand, as a DateFormatter per message is costly
    /// and one shared across threads is not safe.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) +0000"
    }
}

/// Who the message goes from and to at the SMTP level, apart from its headers (as lettre's `Envelope`).
public struct Envelope: Sendable, Equatable {
    public var from: String
    public var recipients: [String]
    /// The message's identity, for transports that store messages (a redelivered message replaces its copy).
    public var messageID: String

    public init(from: String, recipients: [String], messageID: String) {
        self.from = from
        self.recipients = recipients
        self.messageID = messageID
    }
}
