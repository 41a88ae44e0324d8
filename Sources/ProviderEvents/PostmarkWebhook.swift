import Hex
import ConstantTime
import Crypto
import Foundation

/// Postmark's webhooks, under HTTP basic auth (the user and password put in the webhook's URL in Postmark). Postmark
/// does not echo our Message-ID; each mail carries it in `X-PM-Metadata-meiduo-message-id`, which Postmark returns
/// under `Metadata`.
public struct PostmarkWebhook: Sendable {
    public static let metadataKey = "meiduo-message-id"
    public static let metadataHeader = "X-PM-Metadata-" + metadataKey

    public let user: String
    public let password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// `authorization`: the request's `Authorization` header.
    public func read(_ body: some DataProtocol, authorization: String?) throws(WebhookRefusal) -> ProviderEvent {
        guard let authorization, authorization.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)) else {
            throw .missingSignature
        }
        let given = Array(decoded)
        guard let colon = given.firstIndex(of: UInt8(ascii: ":")) else { throw .badSignature }
        // Both compared whole, whichever differs, so timing tells neither.
        let userMatches = ConstantTime.equal(Array(SHA256.hash(data: given[..<colon])), Array(SHA256.hash(data: Data(user.utf8))))
        let passwordMatches = ConstantTime.equal(Array(SHA256.hash(data: given[(colon + 1)...])), Array(SHA256.hash(data: Data(password.utf8))))
        guard userMatches && passwordMatches else { throw .badSignature }
        return try Self.event(JSONObject.object(body), raw: String(decoding: Data(body), as: UTF8.self))
    }

    static func event(_ object: [String: Any], raw: String) throws(WebhookRefusal) -> ProviderEvent {
        guard let recordType = object["RecordType"] as? String,
              let recipient = (object["Email"] as? String) ?? (object["Recipient"] as? String) else {
            throw .unreadable("an event without RecordType or recipient")
        }
        let type = object["Type"] as? String
        let kind: ProviderEvent.Kind
        switch recordType {
        case "Bounce":
            // Postmark's bounce types: the address is gone, the mail is tried again, or it is not a failure at all
            // (an auto-responder, a subscription: kept, not applied).
            kind = switch type ?? "" {
            case "HardBounce", "BadEmailAddress", "ManuallyDeactivated": .permanentBounce
            case "Transient", "SoftBounce", "DnsError", "Blocked": .temporaryBounce
            case "SpamComplaint": .complained
            default: .other
            }
        case "Delivery": kind = .delivered
        case "SpamComplaint": kind = .complained
        default: kind = .other
        }
        let metadata = object["Metadata"] as? [String: Any]
        let id = JSONObject.string(object["ID"]) ?? (object["MessageID"] as? String).map { "\($0):\(recordType)" }
            ?? Hex.lowercase(SHA256.hash(data: Data(raw.utf8)))
        let diagnostic = [object["Description"] as? String, object["Details"] as? String].compactMap { $0 }.joined(separator: " ")
        return ProviderEvent(provider: .postmark, eventID: "\(recordType):\(id)", name: type.map { "\(recordType)/\($0)" } ?? recordType,
                             kind: kind, recipient: recipient, messageID: metadata?[metadataKey] as? String, status: nil,
                             diagnostic: diagnostic, raw: raw)
    }
}
