import Foundation
import MeiduoTokens
import SignedToken
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// `SECRET_KEY_FALLBACKS`: after a rotation, sessions and mailed links signed with the old key still work, and
/// everything new is signed with the new key.
struct KeyRotationTests {
    static let oldKey = "the-key-before-the-rotation-0123456789abcdef-0123456789"
    static let newKey = "the-key-after-the-rotation-fedcba9876543210-9876543210ab"

    static func oldSession(_ account: APIClient.Account) -> String {
        let exp = Int(Date().timeIntervalSince1970) + 3600
        return SessionTokenHeaderTests.token(header: #"{"alg":"HS256","typ":"JWT"}"#,
                                             payload: #"{"user_id":\#(account.id),"username":"\#(account.username)","exp":\#(exp)}"#,
                                             secretKey: oldKey)
    }

    static func oldLink(_ account: APIClient.Account, email: String) -> String {
        TimedJSONWebSignatureSerializer(secretKey: oldKey).dumps(EmailVerificationClaims(userID: account.id, email: email))
    }

    @Test(arguments: [true, false])
    func tokensSignedWithTheOldKeyWorkOnlyWhileItIsAFallback(withFallback: Bool) async throws {
        try await withMeiduo({ settings in
            settings.secretKey = Self.newKey
            settings.secretKeyFallbacks = withFallback ? [Self.oldKey] : []
        }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"rotated@example.com"}"#, token: account.token)
            let session = try await client.send(.get, "/user/", token: Self.oldSession(account))
            #expect(session.status == (withFallback ? .ok : .unauthorized))
            let verify = try await client.send(.get, "/emails/verification/?token=\(Self.oldLink(account, email: "rotated@example.com"))")
            #expect(verify.body.string == (withFallback ? #"{"message":"OK"}"# : #"{"message":"无效token"}"#))
            // What is new is signed with the new key alone.
            let newLink = app.services.emailVerifier.link(userID: account.id, email: "rotated@example.com")
            let token = String(newLink.split(separator: "token=").last!)
            #expect(throws: TokenError.badSignature) { try TimedJSONWebSignatureSerializer(secretKey: Self.oldKey).loads(token, as: EmailVerificationClaims.self) }
            #expect(try TimedJSONWebSignatureSerializer(secretKey: Self.newKey).loads(token, as: EmailVerificationClaims.self).userID == account.id)
            #expect(try await client.send(.get, "/user/", token: account.token).status == .ok)
        }
    }
}
