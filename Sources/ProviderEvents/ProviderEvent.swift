import Foundation

/// One thing a mail provider says happened to one recipient of one mail, in the terms every provider's event is
/// read into (as django-anymail normalises them): what happened, to whom, in which of our mails.
public struct ProviderEvent: Sendable, Equatable {
    public enum Provider: String, Sendable, CaseIterable {
        case ses, sendgrid, mailgun, postmark
    }

    public enum Kind: Sendable, Equatable {
        /// The recipient's server refused the mail for good (a hard bounce).
        case permanentBounce
        /// Not delivered yet; the provider tries again (a soft bounce, a deferral).
        case temporaryBounce
        /// The recipient's server took the mail.
        case delivered
        /// The recipient reported the mail as spam.
        case complained
        /// Anything else the provider tells (opens, clicks, processed…): kept, never applied.
        case other
    }

    public var provider: Provider
    /// The provider's own id of this event (per recipient), what makes a retried callback a duplicate.
    public var eventID: String
    /// The provider's own name for it (`bounce`, `failed/permanent`, `Bounce/Permanent`, `HardBounce`).
    public var name: String
    public var kind: Kind
    public var recipient: String
    /// The Message-ID we gave the mail, without angle brackets; nil when the event does not carry it.
    public var messageID: String?
    /// The RFC 3463 status, when the provider gives one (`5.1.1`).
    public var status: String?
    /// The provider's words (its diagnostic, the remote server's reply): for the operator only.
    public var diagnostic: String
    /// The event as the provider sent it (JSON text).
    public var raw: String

    public init(provider: Provider, eventID: String, name: String, kind: Kind, recipient: String, messageID: String?,
                status: String?, diagnostic: String, raw: String) {
        self.provider = provider
        self.eventID = eventID
        self.name = name
        self.kind = kind
        self.recipient = recipient
        self.messageID = messageID.map(Self.bare)
        self.status = status
        self.diagnostic = diagnostic
        self.raw = raw
    }

    /// `<id@host>` or ` id@host ` → `id@host`.
    static func bare(_ messageID: String) -> String {
        var text = Substring(messageID.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("<") { text = text.dropFirst() }
        if text.hasSuffix(">") { text = text.dropLast() }
        return String(text)
    }
}

/// Why a callback was not taken: answered 401 when it is about who sent it, 400 when about what was sent.
public enum WebhookRefusal: Error, Equatable, CustomStringConvertible {
    case missingSignature
    case badSignature
    case staleTimestamp
    case replayedToken
    case untrustedCertificateURL(String)
    case unlistedTopic(String)
    case unreadable(String)

    public var isAuthentication: Bool {
        if case .unreadable = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .missingSignature: "no signature"
        case .badSignature: "the signature does not match"
        case .staleTimestamp: "the signed timestamp is more than 5 minutes from now"
        case .replayedToken: "the signed token was used before"
        case .untrustedCertificateURL(let url): "the signing certificate's URL is not one trusted: \(url)"
        case .unlistedTopic(let topic): "the topic is not one listed: \(topic)"
        case .unreadable(let why): "the body cannot be read: \(why)"
        }
    }
}

/// A signed timestamp is taken within this many seconds of now, either way.
public enum WebhookClock {
    public static let tolerance: TimeInterval = 300

    static func check(_ timestamp: String?, now: Date) throws(WebhookRefusal) {
        guard let timestamp, let seconds = Double(timestamp) else { throw .missingSignature }
        guard abs(now.timeIntervalSince1970 - seconds) <= tolerance else { throw .staleTimestamp }
    }
}

/// A JSON object, read with Foundation; a body that is not one is `.unreadable`.
enum JSONObject {
    static func read(_ body: some DataProtocol) throws(WebhookRefusal) -> Any {
        do { return try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) } catch {
            throw .unreadable("not JSON")
        }
    }

    static func object(_ body: some DataProtocol) throws(WebhookRefusal) -> [String: Any] {
        guard let object = try read(body) as? [String: Any] else { throw .unreadable("not a JSON object") }
        return object
    }

    /// `value` written back as compact JSON with sorted keys (one element of an array a provider sent).
    static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A scalar as text: strings as they are, numbers as JSON writes them.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
