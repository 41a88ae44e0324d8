import Foundation
import HTTPTypes
import Hummingbird
import ProviderEvents
import PythonJSON
import Verification

/// The mail providers' signed callbacks: `POST /webhooks/{ses,sendgrid,mailgun,postmark}/`. Each verifies the
/// signature before anything is read (401 when it is missing, wrong or stale), hands the events to
/// `ProviderEventIntake` (stored once, applied to the mail each names) and answers 200 with what became of them. A
/// provider whose settings are empty has no route (404).
struct WebhookController {
    let database: RequestDatabase
    let intake: ProviderEventIntake
    let settings: WebhookSettings
    let certificates: SNSCertificates
    let metrics: ServiceMetrics
    let clock: @Sendable () -> Date

    /// SNS messages reach 256 KiB and SendGrid posts events in batches: more room than the API's other bodies.
    static let maximumBody = 1024 * 1024
    static let sendGridSignature = HTTPField.Name(SendGridWebhook.signatureHeader)!
    static let sendGridTimestamp = HTTPField.Name(SendGridWebhook.timestampHeader)!

    func addRoutes(to routes: RouteTable) {
        if !settings.sesTopicARNs.isEmpty {
            routes.on(.post, "webhooks/ses") { request, context in
                try await take(.ses, request, context) { body, request, context in Callback(events: try await ses(body, request, context)) }
            }
        }
        if let key = settings.sendGridPublicKey, let sendGrid = SendGridWebhook(publicKey: key) {
            routes.on(.post, "webhooks/sendgrid") { request, context in
                try await take(.sendgrid, request, context) { body, request, _ in
                    Callback(events: try sendGrid.read(body, signature: request.headers[Self.sendGridSignature],
                                      timestamp: request.headers[Self.sendGridTimestamp], now: clock()))
                }
            }
        }
        if let key = settings.mailgunSigningKey {
            let mailgun = MailgunWebhook(signingKey: key)
            routes.on(.post, "webhooks/mailgun") { request, context in
                try await take(.mailgun, request, context) { body, _, _ in
                    let signed = try mailgun.read(body, now: clock())
                    return Callback(events: [signed.event], token: signed.token)
                }
            }
        }
        if let user = settings.postmarkUser, let password = settings.postmarkPassword {
            let postmark = PostmarkWebhook(user: user, password: password)
            routes.on(.post, "webhooks/postmark") { request, context in
                try await take(.postmark, request, context) { body, request, _ in
                    Callback(events: [try postmark.read(body, authorization: request.headers[.authorization])])
                }
            }
        }
    }

    /// What one verified callback holds: its events, and the token it was signed with where the provider signs one.
    struct Callback {
        var events: [ProviderEvent]
        var token: String? = nil
    }

    /// Reads the body, verifies and reads it with `read`, and takes its events; a refusal is answered 401 (400 for
    /// a body that cannot be read), counted and logged with its reason.
    private func take(_ provider: ProviderEvent.Provider, _ request: Request, _ context: APIRequestContext,
                      read: (Data, Request, APIRequestContext) async throws -> Callback) async throws -> JSONAnswer {
        var request = request
        let body = Data(try await request.collectBody(upTo: Self.maximumBody).readableBytesView)
        let results: [ProviderEventIntake.Result]
        do {
            let callback = try await read(body, request, context)
            do {
                results = try await intake.take(callback.events, token: callback.token, provider: provider, on: database(context), logger: context.logger)
            } catch is ProviderEventIntake.ReplayedToken {
                throw WebhookRefusal.replayedToken
            }
        } catch let refusal as WebhookRefusal {
            metrics.providerEvent(provider: provider.rawValue, outcome: "refused")
            context.logger.warning("webhook refused", metadata: ["provider": "\(provider.rawValue)", "reason": "\(refusal)"])
            throw JSONAnswer.detail(refusal.isAuthentication ? "签名无效。" : "无法读取的通知。",
                                    status: refusal.isAuthentication ? .unauthorized : .badRequest)
        }
        var counts: [ProviderEventIntake.Result: Int] = [:]
        for result in results { counts[result, default: 0] += 1 }
        return JSONAnswer(.ok, [("events", .integer(Int64(results.count)))]
            + [ProviderEventIntake.Result.applied, .duplicate, .unmatched, .ignored].map { ($0.rawValue, .integer(Int64(counts[$0] ?? 0))) })
    }

    /// SNS: the topic and the certificate's host first, then the signature against the fetched certificate; a
    /// subscription confirmation is confirmed, a notification's SES events taken.
    private func ses(_ body: Data, _ request: Request, _ context: APIRequestContext) async throws -> [ProviderEvent] {
        let message = try SNSMessage(body, topics: settings.sesTopicARNs, certificateHost: settings.sesCertificateHost)
        let pem: String
        do { pem = try await certificates.certificate(at: message.signingCertURL) } catch {
            context.logger.warning("the SNS signing certificate could not be fetched", metadata: ["error": "\(error)"])
            throw WebhookRefusal.badSignature
        }
        try message.verify(certificatePEM: pem)
        switch message.type {
        case .notification:
            return try SESEvent.events(in: message.message, notificationID: message.messageID)
        case .subscriptionConfirmation:
            guard let url = message.subscribeURL else { return [] }
            try await certificates.confirmSubscription(at: url)
            context.logger.notice("SNS subscription confirmed", metadata: ["topic": "\(message.topicARN)"])
            return []
        case .unsubscribeConfirmation:
            context.logger.notice("SNS says the subscription ended", metadata: ["topic": "\(message.topicARN)"])
            return []
        }
    }
}
