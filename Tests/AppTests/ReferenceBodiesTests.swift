import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// The bodies the seed's own stack answers (shared/reference/sample_http_responses.txt), byte for byte where
/// they do not depend on ids or times.
struct ReferenceBodiesTests {
    @Test func registrationLengthErrors() async throws {
        try await withMeiduo { app in
            let response = try await APIClient(app: app).send(.post, "/users/", json: #"{"username":"abc","password":"short"}"#)
            #expect(response.status == .badRequest)
            #expect(response.body.string == #"{"username":["仅允许5-20个字符的用户名"],"password":["仅允许8-20个字符的密码"]}"#)
        }
    }

    @Test func signInWithAWrongPassword() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let response = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"wrong-password"}"#)
            #expect(response.status == .badRequest)
            #expect(response.body.string == #"{"non_field_errors":["无法使用提供的认证信息登录。"]}"#)
        }
    }

    @Test func profileWithoutAndWithABadToken() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let missing = try await client.send(.get, "/user/")
            #expect(missing.status == .unauthorized)
            #expect(missing.body.string == #"{"detail":"身份认证信息未提供。"}"#)
            #expect(missing.headers.first(name: "WWW-Authenticate") == #"JWT realm="api""#)
            let bad = try await client.send(.get, "/user/", token: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")
            #expect(bad.status == .unauthorized)
            #expect(bad.body.string == #"{"detail":"Given token not valid for any token type","code":"token_not_valid"}"#)
        }
    }

    @Test func emailChangeWithAnInvalidAddress() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let response = try await client.send(.put, "/email/", json: #"{"email":"not-an-email"}"#, token: account.token)
            #expect(response.status == .badRequest)
            #expect(response.body.string == #"{"email":["请输入合法的邮件地址。"]}"#)
        }
    }

    @Test func verificationMessages() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            for path in ["/emails/verification/", "/emails/verification/?token="] {
                let response = try await client.send(.get, path)
                #expect(response.status == .badRequest)
                #expect(response.body.string == #"{"message":"缺少token"}"#)
            }
            let invalid = try await client.send(.get, "/emails/verification/?token=eyJhbGciOiJIUzUxMiJ9.e30.AAAA")
            #expect(invalid.status == .badRequest)
            #expect(invalid.body.string == #"{"message":"无效token"}"#)
        }
    }

    @Test func successBodiesHaveTheSeedsMembersInOrder() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let username = uniqueUsername()
            let created = try await client.send(.post, "/users/", json: #"{"username":"\#(username)","password":"password123"}"#)
            #expect(created.status == .created)
            #expect(created.body.string.hasPrefix(#"{"id":"#))
            #expect(created.body.string.contains(#","username":"\#(username)","email":"","token":""#))
            let account = try await client.register()
            let email = try await client.send(.put, "/email/", json: #"{"email":"\#(account.username)@example.com"}"#, token: account.token)
            #expect(email.body.string == #"{"id":\#(account.id),"email":"\#(account.username)@example.com"}"#)
            let profile = try await client.send(.get, "/user/", token: account.token)
            // The seed's members in its order, then this service's one addition.
            #expect(profile.body.string.hasPrefix(#"{"id":\#(account.id),"username":"\#(account.username)","email":"\#(account.username)@example.com","email_active":false,"email_delivery":{"state":"#))
        }
    }
}
