import Foundation
import MeiduoTokens
import SignedToken
import SQLKit
import Testing
import TestSupport
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

struct EmailVerificationTests {
    @Test func changingTheAddressStoresItUnverifiedAndTheLinkVerifiesIt() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            let change = try await client.send(.put, "/email/", json: #"{"email":"  \#(address) "}"#, token: account.token)
            #expect(change.status == .ok)
            #expect(try await client.profile(account).email == address)
            #expect(try await client.profile(account).email_active == false)

            let link = app.services.emailVerifier.link(userID: account.id, email: address)
            #expect(link.hasPrefix("http://127.0.0.1:8080/success_verify_email.html?token="))
            let verify = try await client.send(.get, "/emails/verification/?token=\(try token(inLink: link))")
            #expect(verify.status == .ok)
            #expect(verify.body.string == #"{"message":"OK"}"#)
            #expect(try await client.profile(account).email_active == true)

            let again = try await client.send(.get, "/emails/verification/?token=\(try token(inLink: link))")
            #expect(again.status == .ok, "verifying twice answers OK, as the seed")
        }
    }

    @Test func theModelStillReadsAnAccountWhoseAddressWasChanged() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let before = Date()
            try await client.send(.put, "/email/", json: #"{"email":"read.back@example.com"}"#, token: account.token)
            let after = Date()
            // Stored to the second on some databases: within a second of the request.
            let duringTheRequest = { (date: Date) in date > before.addingTimeInterval(-1) && date < after.addingTimeInterval(1) }
            struct Row: Decodable { var email: String; var email_active: Bool; var verification_queued_at: Date?; var updated_at: Date? }
            let user = try #require(try await app.db.raw(
                "SELECT email, email_active, verification_queued_at, updated_at FROM users WHERE id = \(bind: account.id)"
            ).first(decoding: Row.self), "the timestamps written by the change decode")
            #expect(user.email == "read.back@example.com" && !user.email_active)
            #expect(duringTheRequest(try #require(user.verification_queued_at)))
            #expect(duringTheRequest(try #require(user.updated_at)))
            let signIn = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"password123"}"#)
            #expect(signIn.status == .ok)
        }
    }

    @Test func aTokenForAReplacedAddressIsInvalidAndActivatesNothing() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"old@example.com"}"#, token: account.token)
            let oldLink = app.services.emailVerifier.link(userID: account.id, email: "old@example.com")
            try await client.send(.put, "/email/", json: #"{"email":"new@example.com"}"#, token: account.token)
            let response = try await client.send(.get, "/emails/verification/?token=\(try token(inLink: oldLink))")
            #expect(response.status == .badRequest)
            #expect(response.body.string == #"{"message":"无效token"}"#)
            #expect(try await client.profile(account) == .init(id: account.id, username: account.username, email: "new@example.com", email_active: false))
        }
    }

    @Test func changingAVerifiedAddressMakesItUnverifiedAgain() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 0 }) { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await client.send(.put, "/email/", json: #"{"email":"first@example.com"}"#, token: account.token)
            let link = app.services.emailVerifier.link(userID: account.id, email: "first@example.com")
            try await client.send(.get, "/emails/verification/?token=\(try token(inLink: link))")
            #expect(try await client.profile(account).email_active)
            try await client.send(.put, "/email/", json: #"{"email":"second@example.com"}"#, token: account.token)
            #expect(try await client.profile(account).email_active == false)
        }
    }

    @Test func expiredForeignKeyedAndUnknownUserTokensAreInvalid() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "\(account.username)@example.com"
            try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            let secret = app.services.settings.secretKey
            let claims = EmailVerificationClaims(userID: account.id, email: address)
            let expired = TimedJSONWebSignatureSerializer(secretKey: secret, expiresIn: 10, now: { Int64(Date().timeIntervalSince1970) - 60 }).dumps(claims)
            let foreign = TimedJSONWebSignatureSerializer(secretKey: secret + "-other").dumps(claims)
            let nobody = TimedJSONWebSignatureSerializer(secretKey: secret).dumps(EmailVerificationClaims(userID: 987_654_321, email: address))
            for token in [expired, foreign, nobody, "not.a.token", String(repeating: "a", count: 5000)] {
                let response = try await client.send(.get, "/emails/verification/?token=\(token)")
                #expect(response.status == .badRequest)
                #expect(response.body.string == #"{"message":"无效token"}"#)
            }
            #expect(try await client.profile(account).email_active == false)
        }
    }

    @Test func unauthenticatedOrInvalidEmailChangesChangeNothing() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            #expect(try await client.send(.put, "/email/", json: #"{"email":"a@example.com"}"#).status == .unauthorized)
            for bad in [#"{}"#, #"{"email":""}"#, #"{"email":"a@example.com\r\nBcc: x@evil.com"}"#,
                        #"{"email":"\#(String(repeating: "a", count: 65))@example.com"}"#,
                        #"{"email":"a@\#(String(repeating: "b", count: 250)).com"}"#] {
                let response = try await client.send(.put, "/email/", json: bad, token: account.token)
                #expect(response.status == .badRequest, "\(bad)")
            }
            #expect(try await client.profile(account).email == "")
        }
    }

    @Test(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
    func aTokenMintedByItsdangerousVerifiesTheUser() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let address = "张三\(account.id)@例子.中国"
            let change = try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token)
            #expect(change.status == .badRequest, "a non-ASCII local part is refused for delivery")
            try await client.send(.put, "/email/", json: #"{"email":"zhang\#(account.id)@例子.中国"}"#, token: account.token)
            // Stored, and so mailed, with the domain as A-labels.
            let stored = try await client.profile(account).email
            #expect(stored == "zhang\(account.id)@xn--fsqu00a.xn--fiqs8s")
            let token = try ReferencePython.mint(secretKey: app.services.settings.secretKey, expiresIn: 600,
                                                 payloadJSON: #"{"user_id": \#(account.id), "email": "\#(stored)"}"#)
            let response = try await client.send(.get, "/emails/verification/?token=\(token)")
            #expect(response.status == .ok)
            #expect(try await client.profile(account).email_active)
        }
    }
}
