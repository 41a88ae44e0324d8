import Crypto
import Foundation
import Testing

@testable import API
@testable import App
@testable import Verification

/// Session JWTs signed with the right key but with a header that is not exactly HS256 are refused.
struct SessionTokenHeaderTests {
    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token over `header` and `payload`, its signature HMAC-SHA256 with the service's key whatever the header says.
    static func token(header: String, payload: String, secretKey: String = Settings.developmentSecretKey) -> String {
        let input = base64URL(Array(header.utf8)) + "." + base64URL(Array(payload.utf8))
        let key = SymmetricKey(data: Array(secretKey.utf8))
        return input + "." + base64URL(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: key))
    }

    @Test func onlyAnUnpaddedHS256TokenWithoutCritOrAFutureNbfSignsIn() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let exp = Int(Date().timeIntervalSince1970) + 3600
            let payload = #"{"user_id":\#(account.id),"username":"\#(account.username)","exp":\#(exp)}"#
            let status = { (token: String) in try await client.send(.get, "/user/", token: token).status }

            #expect(try await status(Self.token(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: payload)) == .ok, "the crafting is right")
            for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"RS256","typ":"JWT"}"#,
                           #"{"typ":"JWT"}"#, #"{"alg":"HS256","typ":"JWT","crit":["exp"]}"#, #"{"alg":"HS256","crit":"x"}"#] {
                #expect(try await status(Self.token(header: header, payload: payload)) == .unauthorized, "\(header)")
            }
            let notYet = #"{"user_id":\#(account.id),"username":"\#(account.username)","exp":\#(exp),"nbf":\#(exp - 60)}"#
            #expect(try await status(Self.token(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: notYet)) == .unauthorized, "a future nbf")
            let padded = Self.token(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: payload) + "="
            #expect(try await status(padded) == .unauthorized, "a padded signature")
        }
    }

    /// simplejwt's access tokens (user_id as a string since 5.5) sign in; its refresh tokens and user ids that are
    /// no canonical integer do not.
    @Test func simplejwtAccessTokensSignInAndNothingElseOfItsKind() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let now = Int(Date().timeIntervalSince1970)
            let header = #"{"alg":"HS256","typ":"JWT"}"#
            let status = { (payload: String) in try await client.send(.get, "/user/", token: Self.token(header: header, payload: payload)).status }
            let claims = { (type: String, id: String) in
                #"{"token_type":"\#(type)","exp":\#(now + 3600),"iat":\#(now),"jti":"4f1c","user_id":\#(id)}"#
            }
            #expect(try await status(claims("access", "\"\(account.id)\"")) == .ok)
            #expect(try await status(claims("access", "\(account.id)")) == .ok)
            #expect(try await status(claims("refresh", "\"\(account.id)\"")) == .unauthorized)
            #expect(try await status(claims("sliding", "\"\(account.id)\"")) == .unauthorized)
            #expect(try await status(claims("access", "\"0\(account.id)\"")) == .unauthorized)
            #expect(try await status(claims("access", #""x""#)) == .unauthorized)
        }
    }
}
