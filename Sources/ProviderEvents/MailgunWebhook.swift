import Hex
import ConstantTime
import Crypto
import Foundation

/// Mailgun's webhooks (JSON): `signature` holds a timestamp, a random token and the HMAC-SHA256 of the two under the
/// account's webhook signing key; `event-data` the event. The caller refuses a token it has seen before
/// (`token` of the result).
public struct MailgunWebhook: Sendable {
    public let signingKey: SymmetricKey

    public init(signingKey: String) {
        self.signingKey = SymmetricKey(data: Data(signingKey.utf8))
    }

    public struct Signed: Sendable {
        public var token: String
        public var event: ProviderEvent
    }

    public func read(_ body: some DataProtocol, now: Date) throws(WebhookRefusal) -> Signed {
        let object = try JSONObject.object(body)
        guard let signature = object["signature"] as? [String: Any],
              let timestamp = JSONObject.string(signature["timestamp"]), let token = signature["token"] as? String,
              let given = signature["signature"] as? String else { throw .missingSignature }
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + token).utf8), using: signingKey)
        let expected = Hex.lowercase(mac)
        guard ConstantTime.equal(Array(expected.utf8), Array(given.lowercased().utf8)) else { throw .badSignature }
        try WebhookClock.check(timestamp, now: now)
        guard let data = object["event-data"] as? [String: Any] else { throw .unreadable("no event-data") }
        return Signed(token: token, event: try Self.event(data))
    }

    static func event(_ data: [String: Any]) throws(WebhookRefusal) -> ProviderEvent {
        guard let name = data["event"] as? String, let recipient = data["recipient"] as? String else {
            throw .unreadable("an event without event or recipient")
        }
        let severity = data["severity"] as? String
        let kind: ProviderEvent.Kind = switch (name, severity) {
        case ("failed", "permanent"): .permanentBounce
        case ("failed", _): .temporaryBounce
        case ("delivered", _): .delivered
        case ("complained", _): .complained
        default: .other
        }
        let message = data["message"] as? [String: Any]
        let headers = message?["headers"] as? [String: Any]
        let status = data["delivery-status"] as? [String: Any]
        let diagnostic = [JSONObject.string(status?["code"]), status?["message"] as? String, status?["description"] as? String,
                          data["reason"] as? String]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return ProviderEvent(provider: .mailgun, eventID: (data["id"] as? String) ?? "\(name):\(recipient):\(JSONObject.string(data["timestamp"]) ?? "")",
                             name: severity.map { "\(name)/\($0)" } ?? name, kind: kind, recipient: recipient,
                             messageID: headers?["message-id"] as? String, status: status?["enhanced-code"] as? String,
                             diagnostic: diagnostic, raw: JSONObject.text(data))
    }
}
