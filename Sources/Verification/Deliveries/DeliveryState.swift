import Foundation

/// Where a mail is: `queued` → `sending` → `sent` (the relay took it) | `deferred` (a 4xx, or a report that it is
/// delayed; tried again) | `bounced` (a 5xx at send, or a report that it failed) | `delivered` (a provider says the
/// recipient's server took it) | `complained` (the recipient reported it as spam); and, for a verification mail's
/// address, `verified` once a person confirmed it.
package enum DeliveryState: String, Codable, Sendable, CaseIterable {
    case queued, sending, sent, deferred, bounced, verified, delivered, complained
}

/// One step of one mail, as it is recorded: `detail` is for the user (no host names, no server's own words),
/// `operatorDetail` for the operator (the relay's reply, the report's diagnostic).
package struct DeliveryStep: Sendable {
    package var jobID: Int64
    package var address: String
    package var kind: String
    package var state: DeliveryState
    package var detail: String
    package var operatorDetail: String = ""

    package init(jobID: Int64, address: String, kind: String, state: DeliveryState, detail: String, operatorDetail: String = "") {
        self.jobID = jobID
        self.address = address
        self.kind = kind
        self.state = state
        self.detail = detail
        self.operatorDetail = operatorDetail
    }
}

/// The user's words for what happened, from the RFC 3463 status alone (the remote server's text can name
/// internal hosts).
package enum DeliveryWording {
    package static let queued = "waiting to be sent"
    package static let sending = "being sent"
    package static let sent = "accepted by the mail server; it should arrive shortly"
    package static let verified = "the address was confirmed"
    /// The verified step's operator detail, before the way it was confirmed (`button`, `code`, `legacy_get`).
    package static let confirmedByPrefix = "confirmed by "
    package static let delivered = "delivered to the receiving mail server"
    package static let complained = "the recipient reported the mail as spam; no more mail is sent to this address"

    package static func refused(status: String?) -> String {
        let status = status ?? ""
        let reason: String = switch status {
        case "5.1.1", "5.1.10": "the receiving mail server says this address does not exist"
        case _ where status.hasPrefix("5.1."): "the receiving mail server does not accept this address"
        case "5.2.2": "the mailbox is full"
        case _ where status.hasPrefix("5.2."): "the mailbox is unavailable"
        case _ where status.hasPrefix("5.7."): "the receiving mail server refused the mail by its policy"
        case _ where status.hasPrefix("4."): "the mail could not be delivered in time"
        default: "the receiving mail server refused the mail"
        }
        return status.isEmpty ? reason : "\(reason) (\(status))"
    }

    package static func delayed(status: String?, nextTryBy: Date?) -> String {
        var text = "the receiving mail server has not taken the mail yet; it is tried again"
        if let nextTryBy { text += " by \(ISO8601DateFormatter().string(from: nextTryBy))" }
        if let status, !status.isEmpty { text += " (\(status))" }
        return text
    }
}
