import Crypto
import CryptoExtras
import Foundation
import X509

/// Signs SNS messages as SNS does, with an RSA key and a certificate made here.
struct SNSSigner {
    static let topic = "arn:aws:sns:us-east-1:123456789012:meiduo-ses"
    static let certificateURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem"
    let key: _RSA.Signing.PrivateKey
    let certificatePEM: String

    init() async throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName("sns.amazonaws.com") }
        let certificate = try await Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date().addingTimeInterval(-3600),
            notValidAfter: Date().addingTimeInterval(86_400), issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions {}, issuerAsyncPrivateKey: .init(key))
        certificatePEM = try certificate.serializeAsPEM().pemString
    }

    func notification(sesMessage: String, version: String, certificateURL: String = Self.certificateURL) -> Data {
        var fields: [String: String] = [
            "Type": "Notification", "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", "TopicArn": Self.topic,
            "Message": sesMessage, "Timestamp": "2026-12-05T12:00:00.000Z", "SignatureVersion": version,
            "SigningCertURL": certificateURL,
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(Self.topic):1",
        ]
        let text = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            .compactMap { name in fields[name].map { "\(name)\n\($0)\n" } }.joined()
        let signature = version == "1"
            ? try! key.signature(for: Insecure.SHA1.hash(data: Data(text.utf8)), padding: .insecurePKCS1v1_5)
            : try! key.signature(for: SHA256.hash(data: Data(text.utf8)), padding: .insecurePKCS1v1_5)
        fields["Signature"] = signature.rawRepresentation.base64EncodedString()
        return try! JSONSerialization.data(withJSONObject: fields)
    }
}

/// SES's notifications as its documentation shows them.
enum SESPayloads {
    static func bounce(messageID: String) -> String {
        """
        {"notificationType":"Bounce","bounce":{"feedbackId":"0100017e-feedback","bounceType":"Permanent","bounceSubType":"General",
        "bouncedRecipients":[{"emailAddress":"alice@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
        "timestamp":"2026-12-05T12:00:00.000Z","remoteMtaIp":"127.0.2.0"},
        "mail":{"timestamp":"2026-12-05T11:59:59.000Z","source":"noreply@meiduo.test","messageId":"0100017e-ses-id",
        "destination":["alice@example.com"],"headersTruncated":false,
        "commonHeaders":{"from":["美多商城 <noreply@meiduo.test>"],"to":["alice@example.com"],"messageId":"<\(messageID)>","subject":"美多商城邮箱验证"}}}
        """
    }

    static func complaint(messageID: String) -> String {
        """
        {"notificationType":"Complaint","complaint":{"userAgent":"ExampleCorp Feedback Loop (V0.01)","complainedRecipients":[{"emailAddress":"alice@example.com"}],
        "complaintFeedbackType":"abuse","arrivalDate":"2026-12-05T12:00:00.000Z","timestamp":"2026-12-05T12:00:01.000Z","feedbackId":"0100017e-complaint"},
        "mail":{"messageId":"0100017e-ses-id","destination":["alice@example.com"],"commonHeaders":{"messageId":"<\(messageID)>"}}}
        """
    }

    static func delivery(messageID: String) -> String {
        """
        {"notificationType":"Delivery","delivery":{"timestamp":"2026-12-05T12:00:01.000Z","processingTimeMillis":546,
        "recipients":["alice@example.com"],"smtpResponse":"250 ok:  Message 64111812 accepted","remoteMtaIp":"127.0.2.0","reportingMTA":"a8-70.smtp-out.amazonses.com"},
        "mail":{"messageId":"0100017e-ses-id","destination":["alice@example.com"],"commonHeaders":{"messageId":"<\(messageID)>"}}}
        """
    }
}
