import Crypto
import CryptoExtras
import Foundation
import X509

/// An Amazon SNS message as posted to an HTTPS subscription: a notification (SES events in `Message`) or the
/// confirmation of a new subscription. Read in two steps: `init` reads it and checks whose it claims to be (the
/// topic, the certificate's URL); `verify` checks its signature against the certificate fetched from that URL.
public struct SNSMessage: Sendable {
    public enum MessageType: String, Sendable {
        case notification = "Notification"
        case subscriptionConfirmation = "SubscriptionConfirmation"
        case unsubscribeConfirmation = "UnsubscribeConfirmation"
    }

    public let type: MessageType
    public let messageID: String
    public let topicARN: String
    public let message: String
    public let signingCertURL: URL
    /// Where a subscription is confirmed (a subscription confirmation only).
    public let subscribeURL: URL?
    let fields: [String: String]
    let signatureVersion: String
    let signature: Data

    /// `topics`: the topic ARNs that count; `certificateHost`: the host pattern (`*` is one DNS label) the signing
    /// certificate and the subscribe URL must be served from, over HTTPS.
    public init(_ body: some DataProtocol, topics: [String], certificateHost: String) throws(WebhookRefusal) {
        let object = try JSONObject.object(body)
        var fields: [String: String] = [:]
        for (key, value) in object { if let text = value as? String { fields[key] = text } }
        guard let signature = fields["Signature"], let version = fields["SignatureVersion"], let certificate = fields["SigningCertURL"] else {
            throw .missingSignature
        }
        guard let type = fields["Type"].flatMap(MessageType.init(rawValue:)), let messageID = fields["MessageId"],
              let topic = fields["TopicArn"], let message = fields["Message"] else {
            throw .unreadable("not an SNS message: Type, MessageId, TopicArn or Message missing")
        }
        // SNS names its certificates so; anything else on the host is not fetched.
        guard let url = Self.trusted(certificate, host: Self.labels(certificateHost)),
              url.path.hasPrefix("/SimpleNotificationService-"), url.path.hasSuffix(".pem"), url.query == nil else {
            throw .untrustedCertificateURL(certificate)
        }
        guard topics.contains(topic) else { throw .unlistedTopic(topic) }
        guard version == "1" || version == "2" else { throw .badSignature }
        guard let signatureBytes = Data(base64Encoded: signature) else { throw .badSignature }
        if type == .subscriptionConfirmation {
            guard let subscribe = fields["SubscribeURL"], let subscribeURL = Self.trusted(subscribe, host: Self.labels(certificateHost)) else {
                throw .untrustedCertificateURL(fields["SubscribeURL"] ?? "")
            }
            self.subscribeURL = subscribeURL
        } else {
            self.subscribeURL = nil
        }
        self.type = type
        self.messageID = messageID
        self.topicARN = topic
        self.message = message
        self.signingCertURL = url
        self.fields = fields
        self.signatureVersion = version
        self.signature = signatureBytes
    }

    /// The text SNS signs: the listed fields, each as `Name\nValue\n`, in this order, those absent left out.
    var signedText: String {
        let names = type == .notification
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        return names.compactMap { name in fields[name].map { "\(name)\n\($0)\n" } }.joined()
    }

    /// Checks the signature (SHA1withRSA for version 1, SHA256withRSA for 2) against the PEM certificate.
    public func verify(certificatePEM: String) throws(WebhookRefusal) {
        guard let certificate = try? Certificate(pemEncoded: certificatePEM),
              let key = _RSA.Signing.PublicKey(certificate.publicKey) else { throw .badSignature }
        let text = Data(signedText.utf8)
        let rsa = _RSA.Signing.RSASignature(rawRepresentation: signature)
        let valid = signatureVersion == "1"
            ? key.isValidSignature(rsa, for: Insecure.SHA1.hash(data: text), padding: .insecurePKCS1v1_5)
            : key.isValidSignature(rsa, for: SHA256.hash(data: text), padding: .insecurePKCS1v1_5)
        guard valid else { throw .badSignature }
    }

    static func labels(_ hostPattern: String) -> [Substring] {
        hostPattern.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    }

    /// `text` as an HTTPS URL on a host matching `pattern`; nil otherwise.
    static func trusted(_ text: String, host pattern: [Substring]) -> URL? {
        guard let url = URL(string: text), url.scheme == "https", let host = url.host?.lowercased(), url.user == nil else { return nil }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == pattern.count,
              zip(labels, pattern).allSatisfy({ label, want in want == "*" ? !label.isEmpty : label == want }) else { return nil }
        return url
    }
}
