import Foundation
import Testing

import MeiduoTokens
import SignedToken
import TestSupport

/// Runs the real itsdangerous 1.1.0 in a child process, in both directions.
/// `MEIDUO_TEST_PYTHON` names a python3 that has it (`scripts/test` sets this up).
@Suite(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
struct LiveItsdangerousTests {
    static let secret = "live-test-secret-key-0123456789abcdef-美多"

    @Test(arguments: TimedJSONWebSignatureSerializer.Algorithm.allCases)
    func ourTokenLoadsInItsdangerous(algorithm: TimedJSONWebSignatureSerializer.Algorithm) throws {
        let claims = EmailVerificationClaims(userID: 42, email: "张三@example.com")
        let token = TimedJSONWebSignatureSerializer(secretKey: Self.secret, expiresIn: 600, algorithm: algorithm).dumps(claims)
        let output = try ReferencePython.run(["loads", Self.secret, "600", algorithm.rawValue, token])
        #expect(output.status == 0)
        let loaded = try JSONDecoder().decode(EmailVerificationClaims.self, from: Data(output.stdout.utf8))
        #expect(loaded == claims)
    }

    @Test(arguments: TimedJSONWebSignatureSerializer.Algorithm.allCases)
    func itsdangerousTokenLoadsHere(algorithm: TimedJSONWebSignatureSerializer.Algorithm) throws {
        let output = try ReferencePython.run(["dumps", Self.secret, "600", algorithm.rawValue, #"{"user_id": 7, "email": "李四@例子.中国"}"#])
        #expect(output.status == 0)
        let token = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let loaded = try TimedJSONWebSignatureSerializer(secretKey: Self.secret, expiresIn: 600, algorithm: algorithm)
            .loads(token, as: EmailVerificationClaims.self)
        #expect(loaded == EmailVerificationClaims(userID: 7, email: "李四@例子.中国"))
    }

    @Test func itsdangerousRefusesOurTokenUnderAnotherKey() throws {
        let token = TimedJSONWebSignatureSerializer(secretKey: Self.secret).dumps(EmailVerificationClaims(userID: 1, email: "a@b.cn"))
        let output = try ReferencePython.run(["loads", Self.secret + "x", "3600", "HS512", token])
        #expect(output.status == 1)
        #expect(output.stdout.contains("BadSignature"))
    }
}
