import Foundation

/// The SES events an SNS notification carries in its `Message`: SES's own notifications (`notificationType`) and
/// event publishing (`eventType`) alike; one event per recipient named.
public enum SESEvent {
    /// `notificationID`: the SNS MessageId, which with the recipient names each event.
    public static func events(in message: String, notificationID: String) throws(WebhookRefusal) -> [ProviderEvent] {
        let object = try JSONObject.object(Data(message.utf8))
        guard let type = (object["notificationType"] as? String) ?? (object["eventType"] as? String) else {
            throw .unreadable("an SES message without notificationType or eventType")
        }
        let mail = object["mail"] as? [String: Any]
        let headers = mail?["commonHeaders"] as? [String: Any]
        let messageID = headers?["messageId"] as? String
        let make = { (recipient: String, name: String, kind: ProviderEvent.Kind, status: String?, diagnostic: String) in
            ProviderEvent(provider: .ses, eventID: "\(notificationID):\(recipient.lowercased())", name: name, kind: kind,
                          recipient: recipient, messageID: messageID, status: status, diagnostic: diagnostic, raw: message)
        }
        switch type {
        case "Bounce":
            let bounce = object["bounce"] as? [String: Any] ?? [:]
            let bounceType = bounce["bounceType"] as? String ?? "Undetermined"
            let kind: ProviderEvent.Kind = bounceType == "Permanent" ? .permanentBounce : .temporaryBounce
            return recipients(bounce["bouncedRecipients"]).map {
                make($0.address, "Bounce/\(bounceType)", kind, $0.status, $0.diagnostic)
            }
        case "Complaint":
            let complaint = object["complaint"] as? [String: Any] ?? [:]
            let feedback = complaint["complaintFeedbackType"] as? String ?? ""
            return recipients(complaint["complainedRecipients"]).map { make($0.address, "Complaint", .complained, nil, feedback) }
        case "Delivery":
            let delivery = object["delivery"] as? [String: Any] ?? [:]
            let response = delivery["smtpResponse"] as? String ?? ""
            return (delivery["recipients"] as? [String] ?? []).map { make($0, "Delivery", .delivered, nil, response) }
        case "DeliveryDelay":
            let delay = object["deliveryDelay"] as? [String: Any] ?? [:]
            return recipients(delay["delayedRecipients"]).map {
                make($0.address, "DeliveryDelay", .temporaryBounce, $0.status, $0.diagnostic)
            }
        default:
            return (mail?["destination"] as? [String] ?? []).map { make($0, type, .other, nil, "") }
        }
    }

    private static func recipients(_ value: Any?) -> [(address: String, status: String?, diagnostic: String)] {
        (value as? [[String: Any]] ?? []).compactMap { recipient in
            guard let address = recipient["emailAddress"] as? String else { return nil }
            return (address, recipient["status"] as? String, recipient["diagnosticCode"] as? String ?? "")
        }
    }
}
