import Crypto
import Foundation

/// SendGrid's signed event webhook: a JSON array of events; `X-Twilio-Email-Event-Webhook-Signature` is an ECDSA
/// P-256 signature (base64 DER) over the `…-Timestamp` header followed by the raw body, under the public key SendGrid
/// shows (base64 DER).
public struct SendGridWebhook: Sendable {
    public static let signatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
    public static let timestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"

    public let publicKey: P256.Signing.PublicKey

    /// nil when `publicKey` is not a base64 DER P-256 public key.
    public init?(publicKey: String) {
        guard let der = Data(base64Encoded: publicKey.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? P256.Signing.PublicKey(derRepresentation: der) else { return nil }
        self.publicKey = key
    }

    public func read(_ body: some DataProtocol, signature: String?, timestamp: String?, now: Date) throws(WebhookRefusal) -> [ProviderEvent] {
        guard let signature, let timestamp else { throw .missingSignature }
        guard let der = Data(base64Encoded: signature), let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: der),
              publicKey.isValidSignature(ecdsa, for: Data(timestamp.utf8) + Data(body)) else { throw .badSignature }
        try WebhookClock.check(timestamp, now: now)
        guard let events = try JSONObject.read(body) as? [[String: Any]] else { throw .unreadable("not a JSON array of events") }
        return try events.map { (event) throws(WebhookRefusal) in try Self.event(event) }
    }

    static func event(_ event: [String: Any]) throws(WebhookRefusal) -> ProviderEvent {
        guard let name = event["event"] as? String, let recipient = event["email"] as? String else {
            throw .unreadable("an event without event or email")
        }
        // `bounce` with type `blocked` is a refusal that may pass (SendGrid's "blocked"); `bounce` alone is hard.
        let type = event["type"] as? String
        let kind: ProviderEvent.Kind = switch (name, type) {
        case ("bounce", "blocked"), ("deferred", _): .temporaryBounce
        case ("bounce", _): .permanentBounce
        case ("delivered", _): .delivered
        case ("spamreport", _): .complained
        default: .other
        }
        let diagnostic = [event["reason"] as? String, event["response"] as? String].compactMap { $0 }.joined(separator: " ")
        let eventID = (event["sg_event_id"] as? String) ?? "\(name):\(recipient):\(JSONObject.string(event["timestamp"]) ?? "")"
        return ProviderEvent(provider: .sendgrid, eventID: eventID, name: type.map { "\(name)/\($0)" } ?? name, kind: kind,
                             recipient: recipient, messageID: event["smtp-id"] as? String, status: event["status"] as? String,
                             diagnostic: diagnostic, raw: JSONObject.text(event))
    }
}
