import Foundation
import NIOCore
import SQLKit
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

/// Bad input gets a clear 4xx and never a 5xx.
struct BadInputTests {
    /// Django keeps the last of two equal keys, Foundation the first: one body, two readings. Refused.
    @Test func aBodyWithAKeyGivenTwiceIs400() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            for body in [#"{"username":"twice_user","username":"other_user","password":"password123"}"#,
                         #"{"username":"twice_user","password":"password123","user\u006eame":"other_user"}"#] {
                let response = try await client.send(.post, "/users/", json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.body.string.contains("username"), "\(response.body.string)")
            }
            let nested = try await client.send(.post, "/users/", json: #"{"username":"nested_user","x":{"a":1,"a":2},"password":"password123"}"#)
            #expect(nested.status == .created, "only the top level's keys are the form's")
        }
    }

    /// bcrypt stops reading at a NUL: "\0abcdefg" and "\0\0\0\0\0\0\0\0" would be one password.
    @Test func aPasswordWithANULIsRefusedAtRegistrationAndNeverMatchesAtSignIn() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let refused = try await client.send(.post, "/users/", json: #"{"username":"nul_user","password":"\u0000abcdefg"}"#)
            #expect(refused.status == .badRequest && refused.body.string.contains("password"), "\(refused.body.string)")
            let account = try await client.register("nul_owner", password: "password123")
            let hash = try await app.services.passwords.hash("\u{0}abcdefg")
            try await app.db.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: account.id)").run()
            for password in ["\\u0000abcdefg", "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000"] {
                let signIn = try await client.send(.post, "/authorizations/", json: #"{"username":"nul_owner","password":"\#(password)"}"#)
                #expect(signIn.status == .badRequest, "an account's hash of a NUL password (made before this rule) never matches")
            }
        }
    }

    @Test func aBodyOver64KiBIs413() async throws {
        try await withMeiduo { app in
            let response = try await APIClient(app: app).send(
                .post, "/users/", body: ByteBuffer(string: #"{"username":""# + String(repeating: "a", count: 70_000) + #""}"#))
            #expect(response.status == .contentTooLarge)
            #expect(response.body.string == #"{"detail":"请求体过大。"}"#)
        }
    }

    /// Compressed bodies are not inflated, as the seed's Django does not: a gzip body is a JSON parse error.
    @Test func aGzipBodyIsNotInflated() async throws {
        try await withMeiduo { app in
            // gzip of {"username":"gzipped_user","password":"password123"}
            let gzip = "H4sIAAAAAAACA6tWKi1OLcpLzE1VslJKr8osKEhNiQcJKekoFSQWF5fnF6UAZWBMQyNjpVoAiWFb5TQAAAA="
            let response = try await APIClient(app: app).send(
                .post, "/users/", body: ByteBuffer(bytes: try #require(Data(base64Encoded: gzip))), headers: ["Content-Encoding": "gzip"])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("JSON parse error"))
        }
    }

    @Test func invalidUTF8AndVeryLongFieldsAre400() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            var invalid = ByteBuffer(string: #"{"username":""#)
            invalid.writeBytes([0xC3, 0x28, 0xFF])
            invalid.writeString(#"","password":"password123"}"#)
            let garbled = try await client.send(.post, "/users/", body: invalid)
            #expect(garbled.status == .badRequest)
            let long = try await client.send(.post, "/users/", json: #"{"username":"\#(String(repeating: "u", count: 10_000))","password":"\#(String(repeating: "p", count: 10_000))"}"#)
            #expect(long.status == .badRequest)
            #expect(long.body.string == #"{"username":["仅允许5-20个字符的用户名"],"password":["仅允许8-20个字符的密码"]}"#)
        }
    }

    @Test func sqlInjectionStringsAreStoredVerbatimAndHarmless() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register(password: "x' OR '1'='1")
            let address = "x'OR'1'='1--@example.com"
            #expect(try await client.send(.put, "/email/", json: #"{"email":"\#(address)"}"#, token: account.token).status == .ok)
            #expect(try await client.profile(account).email == address)
            let probe = try await client.send(.post, "/authorizations/", json: #"{"username":"' OR 1=1 --","password":"x' OR '1'='1"}"#)
            #expect(probe.status == .badRequest)
            #expect(try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"x' OR '1'='1"}"#).status == .ok)
        }
    }

    /// bcrypt reads 72 bytes of a password: a longer one is refused at registration, and at sign-in matches no
    /// account, however its first 72 bytes read.
    @Test func passwordsBeyondBcryptsSeventyTwoBytesAreNeverCut() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let tooLong = String(repeating: "🔑", count: 20)  // 20 characters, 80 bytes
            let refused = try await client.send(.post, "/users/", json: #"{"username":"\#(uniqueUsername())","password":"\#(tooLong)"}"#)
            #expect(refused.status == .badRequest)
            #expect(refused.body.string == #"{"password":["密码的 UTF-8 编码不能超过72个字节。"]}"#)

            let exact = String(repeating: "🔑", count: 18)  // 72 bytes
            let account = try await client.register(password: exact)
            let signIn = { (password: String) in
                try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"\#(password)"}"#).status
            }
            #expect(try await signIn(exact) == .ok)
            #expect(try await signIn(exact + "🔑") == .badRequest, "the same first 72 bytes, and more")
            #expect(try await signIn(exact + "x") == .badRequest)
        }
    }

    /// A NUL in a static path would pick the content type from what follows it.
    @Test func aControlCharacterInAStaticPathIs400() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            #expect(try await client.send(.get, "/openapi.yaml").status == .ok)
            for path in ["/openapi.yaml%00.html", "/success_verify_email.html%00.yaml", "/openapi.yaml%0A"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.body.string == #"{"detail":"路径中不能有控制字符。"}"#)
            }
        }
    }
}
