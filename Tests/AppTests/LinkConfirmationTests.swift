import Foundation
import MeiduoTokens
import SignedToken
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// "Verified" means a person pressed the page's button: reading a link's state changes nothing, a POST confirms,
/// and each refusal says what happened.
struct LinkConfirmationTests {
    /// A registered account holding `address`, unverified, and its link's token.
    static func pending(_ app: TestApp, _ client: APIClient) async throws -> (APIClient.Account, String, String) {
        let account = try await client.register()
        let address = "\(account.username)@example.com"
        let change = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
        try #require(change.status == .ok)
        return (account, address, try token(inLink: app.services.emailVerifier.link(userID: account.id, email: address)))
    }

    @Test func readingTheStateChangesNothingAndTheButtonConfirms() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let (account, address, token) = try await Self.pending(app, client)
            for _ in 0..<3 {
                let status = try await client.send(.get, "/emails/verification/status/?token=\(token)")
                #expect(status.status == .ok)
                #expect(status.body.string == #"{"email":"\#(address)","state":"pending"}"#)
            }
            #expect(try await client.send(.head, "/emails/verification/status/?token=\(token)").status == .ok)
            #expect(try await client.profile(account).email_active == false, "reads and HEADs verify nothing")

            let confirm = try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(token)"}"#)
            #expect(confirm.status == .ok)
            #expect(confirm.body.string == #"{"message":"OK","state":"verified"}"#)
            #expect(try await client.profile(account).email_active == true)
            let again = try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(token)"}"#)
            #expect(again.body.string == #"{"message":"OK","state":"already_verified"}"#)
            let status = try await client.send(.get, "/emails/verification/status/?token=\(token)")
            #expect(status.body.string == #"{"email":"\#(address)","state":"verified"}"#)

            let metrics = try await client.send(.get, "/metrics").body.string
            #expect(metrics.contains(#"meiduo_verification_confirmations_total{method="button"} 1"#))
            #expect(metrics.contains("meiduo_verification_link_views_total 5"), "three reads, a HEAD and the last read")
        }
    }

    @Test func eachRefusalSaysWhatHappened() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let (account, address, token) = try await Self.pending(app, client)
            let refusal = { (token: String) async throws -> [String] in
                let status = try await client.send(.get, "/emails/verification/status/?token=\(token)")
                let confirm = try await client.send(.post, "/emails/verification/", json: #"{"token":"\#(token)"}"#)
                #expect(status.status == .badRequest && confirm.status == .badRequest)
                return [status.body.string, confirm.body.string]
            }
            let expired = TimedJSONWebSignatureSerializer(secretKey: Settings.developmentSecretKey, expiresIn: 60,
                                                          now: { Int64(Date().timeIntervalSince1970) - 120 })
                .dumps(EmailVerificationClaims(userID: account.id, email: address))
            let expiredBody = #"{"message":"\#(LinkVerification.expiredMessage)","code":"expired"}"#
            #expect(try await refusal(expired) == [expiredBody, expiredBody])
            let tampered = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
            #expect(try await refusal(tampered) == Array(repeating: #"{"message":"无效token","code":"invalid"}"#, count: 2))

            let change = try await client.send(.put, "/email/", json: #"{"email":"another.\#(address)"}"#, token: account.token)
            try #require(change.status == .ok)
            let changed = #"{"message":"\#(LinkVerification.addressChangedMessage)","code":"address_changed"}"#
            #expect(try await refusal(token) == [changed, changed])

            for body in [#"{}"#, #"{"token":""}"#] {
                let missing = try await client.send(.post, "/emails/verification/", json: body)
                #expect(missing.status == .badRequest)
                #expect(missing.body.string == #"{"message":"缺少token","code":"missing"}"#)
            }
            #expect(try await client.profile(account).email_active == false)
        }
    }

    @Test(arguments: [true, false])
    func theSeedsGetVerifiesOnlyWhileItIsOn(legacy: Bool) async throws {
        try await withMeiduo({ $0.legacyGetVerify = legacy }) { app in
            let client = APIClient(app: app)
            let (account, _, token) = try await Self.pending(app, client)
            let get = try await client.send(.get, "/emails/verification/?token=\(token)")
            if legacy {
                #expect(get.status == .ok && get.body.string == #"{"message":"OK"}"#)
                let metrics = try await client.send(.get, "/metrics").body.string
                #expect(metrics.contains(#"meiduo_verification_confirmations_total{method="legacy_get"} 1"#))
            } else {
                #expect(get.status == .gone)
                #expect(get.body.string == #"{"message":"\#(EmailController.legacyGetOff)","code":"use_post"}"#)
            }
            #expect(try await client.profile(account).email_active == legacy)
        }
    }
}
