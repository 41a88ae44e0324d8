import Foundation
import MeiduoTokens
import Testing

@testable import SignedToken

/// Tokens minted by the real itsdangerous 1.1.0 (`scripts/itsdangerous_tool.py vectors`), committed as a fixture.
struct ItsdangerousVectorTests {
    struct Fixture: Decodable {
        var generator: String
        var cases: [Case]
    }

    struct Case: Decodable {
        var secret_key: String
        var algorithm: String
        var expires_in: Int64
        var iat: Int64
        var payload: EmailVerificationClaims
        var token: String
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "itsdangerous-1.1.0-vectors", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
    }()

    static func serializer(for vector: Case, now: Int64) -> TimedJSONWebSignatureSerializer {
        TimedJSONWebSignatureSerializer(
            secretKey: vector.secret_key, expiresIn: vector.expires_in,
            algorithm: .init(rawValue: vector.algorithm)!, now: { now })
    }

    @Test func fixtureCoversEveryAlgorithmAndNonASCII() {
        #expect(Set(Self.cases.map(\.algorithm)) == ["HS256", "HS384", "HS512"])
        #expect(Self.cases.contains { $0.payload.email.unicodeScalars.contains { !$0.isASCII } })
    }

    @Test(arguments: cases.indices)
    func weMintTheSameTokenAtTheSameInstant(index: Int) {
        let vector = Self.cases[index]
        #expect(Self.serializer(for: vector, now: vector.iat).dumps(vector.payload) == vector.token)
    }

    @Test(arguments: cases.indices)
    func theirTokenLoadsHereUntilItExpires(index: Int) throws {
        let vector = Self.cases[index]
        let lastValidSecond = vector.iat + vector.expires_in
        let loaded = try Self.serializer(for: vector, now: lastValidSecond).loads(vector.token, as: EmailVerificationClaims.self)
        #expect(loaded == vector.payload)
        #expect(throws: TokenError.expired) {
            try Self.serializer(for: vector, now: lastValidSecond + 1).loads(vector.token, as: EmailVerificationClaims.self)
        }
    }
}
