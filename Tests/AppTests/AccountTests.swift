import FluentKit
import Foundation
import SQLKit
import HTTPTypes
import Testing
import HummingbirdTesting

@testable import API
@testable import App
@testable import Verification

struct AccountTests {
    @Test func registrationValidatesEachFieldWithDRFMessages() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let cases: [(String, String)] = [
                ("{}", #"{"username":["该字段是必填项。"],"password":["该字段是必填项。"]}"#),
                (#"{"username":null,"password":"   "}"#, #"{"username":["该字段不能为 null。"],"password":["仅允许8-20个字符的密码"]}"#),
                (#"{"username":"  ","password":{}}"#, #"{"username":["该字段不能为空。"],"password":["不是有效的字符串。"]}"#),
                (#"{"username":"bad name!","password":"password123"}"#, #"{"username":["用户名只能包含字母、数字、下划线和连字符。"]}"#),
                (#"{"username":"goodname","password":"password123","email":"x@"}"#, #"{"email":["请输入合法的邮件地址。"]}"#),
                ("[1,2]", #"{"non_field_errors":["无效数据。期待为字典类型。"]}"#),
            ]
            for (body, expected) in cases {
                let response = try await client.send(.post, "/users/", json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.body.string == expected, "\(body)")
            }
        }
    }

    @Test func aTakenUsernameIsRefused() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let again = try await client.send(.post, "/users/", json: #"{"username":"\#(account.username)","password":"password456"}"#)
            #expect(again.status == .badRequest)
            #expect(again.body.string == #"{"username":["已存在一位使用该名字的用户。"]}"#)
        }
    }

    @Test func registrationMayCarryAnAddress() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let username = uniqueUsername()
            let response = try await client.send(.post, "/users/", json: #"{"username":"\#(username)","password":"password123","email":"\#(username)@example.com"}"#)
            #expect(response.status == .created)
            #expect(response.body.string.contains(#""email":"\#(username)@example.com""#))
        }
    }

    @Test func signInAcceptsJWTAndBearerSchemes() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register(password: "correct horse")
            let signIn = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"correct horse"}"#)
            #expect(signIn.status == .ok)
            struct Body: Decodable { var token: String; var user_id: Int64; var username: String }
            let body = try JSONDecoder().decode(Body.self, from: Data(signIn.body.string.utf8))
            #expect(body.user_id == account.id && body.username == account.username)
            for scheme in ["JWT", "Bearer", "bearer"] {
                let profile = try await client.send(.get, "/user/", token: body.token, scheme: scheme)
                #expect(profile.status == .ok, "scheme \(scheme)")
            }
            let basic = try await client.send(.get, "/user/", token: body.token, scheme: "Basic")
            #expect(basic.status == .unauthorized)
        }
    }

    @Test func unknownUserAndWrongPasswordAreIndistinguishable() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            let wrongPassword = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(account.username)","password":"not-the-password"}"#)
            let unknownUser = try await client.send(.post, "/authorizations/", json: #"{"username":"\#(uniqueUsername())","password":"not-the-password"}"#)
            #expect(wrongPassword.status == unknownUser.status)
            #expect(wrongPassword.body.string == unknownUser.body.string)
        }
    }

    @Test func aSessionTokenSignedWithAnotherKeyOrExpiredIsRefused() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            var expired = SessionToken(userID: account.id, username: account.username, lifetime: 60, now: Date())
            expired.exp.value = Date().addingTimeInterval(-1)
            let expiredToken = try await app.services.sessionKeys.sign(expired)
            #expect(try await client.send(.get, "/user/", token: expiredToken).status == .unauthorized)
            let forged = account.token.dropLast(4) + "AAAA"
            #expect(try await client.send(.get, "/user/", token: String(forged)).status == .unauthorized)
        }
    }

    /// The session check does not read the account; each signed-in handler finds it gone and answers as simplejwt.
    @Test func aSessionOfADeletedAccountIsRefusedEverywhere() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let account = try await client.register()
            try await app.db.raw("DELETE FROM users WHERE id = \(bind: account.id)").run()
            let gone = #"{"detail":"找不到该用户。","code":"user_not_found"}"#
            let profile = try await client.send(.get, "/user/", token: account.token)
            #expect(profile.status == .unauthorized)
            #expect(profile.body.string == gone)
            let change = try await client.send(.put, "/email/", json: #"{"email":"new@example.com"}"#, token: account.token)
            #expect(change.status == .unauthorized)
            #expect(change.body.string == gone)
            #expect(change.headers[.wwwAuthenticate] == #"JWT realm="api""#)
            let queued = try await app.services.jobQueue.countsByState().values.reduce(0, +)
            #expect(queued == 0)
        }
    }

    @Test func requestErrorsAreJSONWithTheRightStatus() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            let malformed = try await client.send(.post, "/users/", json: #"{"username": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.string.hasPrefix(#"{"detail":"JSON parse error"#))
            let wrongType = try await client.send(.post, "/users/", json: "username=a", headers: ["Content-Type": "text/plain"])
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(wrongType.body.string.hasPrefix(#"{"detail":"不支持请求中的媒体类型"#))
            let missing = try await client.send(.get, "/no/such/path")
            #expect(missing.status == .notFound)
            #expect(missing.body.string == #"{"detail":"未找到。"}"#)
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withMeiduo { app in
            let client = APIClient(app: app)
            #expect(try await client.send(.get, "/healthz").status == .ok)
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.body.string == #"{"message":"ok"}"#)
        }
    }
}

struct MethodNotAllowedTests {
    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        try await withMeiduo { app in
            let response = try await APIClient(app: app).send(.delete, "/users/")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: "Allow") == "POST")
            #expect(response.body.string == #"{"detail":"方法 “DELETE” 不被允许。"}"#)
            #expect(try await APIClient(app: app).send(.delete, "/no/such/path").status == .notFound)
        }
    }
}

struct SchemaTests {
    /// A database that has not had every migration: `/readyz` fails naming the cure, and the commands that need
    /// the schema refuse in one line naming `meiduo migrate`.
    @Test func aDatabaseMissingAMigrationIsNotReady() async throws {
        try await withMeiduo { app in
            let sql = app.db
            #expect(try await Schema.state(accounts: .own).pending(on: sql).isEmpty)
            try await sql.raw("DELETE FROM _fluent_migrations WHERE name = 'App.CreateJobLeaders'").run()
            let ready = try await APIClient(app: app).send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.string == #"{"message":"database not migrated: run meiduo migrate"}"#)
            let refusal = await #expect(throws: SchemaNotMigrated.self) { try await Schema.state(accounts: .own).requireReady(app.db) }
            #expect(refusal?.description == "the database is not migrated (1 pending: App.CreateJobLeaders); run `meiduo migrate` first")
        }
    }
}
