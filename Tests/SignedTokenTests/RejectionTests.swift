import MeiduoTokens
import Testing

@testable import SignedToken

struct RejectionTests {
    static let secret = "rejection-test-secret-key-0123456789"
    static let now: Int64 = 1_800_000_000
    static let signer = TimedJSONWebSignatureSerializer(secretKey: secret, expiresIn: 3600, algorithm: .hs512, now: { now })
    static let validPayload = #"{"user_id":5,"email":"a@example.com"}"#
    static let validHeader = #"{"alg":"HS512","iat":1800000000,"exp":1800003600}"#

    static func load(_ token: String) throws(TokenError) -> EmailVerificationClaims {
        try signer.loads(token, as: EmailVerificationClaims.self)
    }

    static func signed(header: String = validHeader, payload: String = validPayload) -> String {
        signer.assemble(headerJSON: header, payloadJSON: payload)
    }

    /// Replaces one dot-separated part, keeping the others.
    static func replacingPart(_ index: Int, of token: String, with part: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = part
        return parts.joined(separator: ".")
    }

    @Test func theValidTokenLoads() throws {
        #expect(try Self.load(Self.signed()) == EmailVerificationClaims(userID: 5, email: "a@example.com"))
    }

    @Test func tamperedHeaderPayloadOrSignatureIsABadSignature() {
        let token = Self.signed()
        let otherHeader = Base64URL.encode(Array(#"{"alg":"HS512","iat":1800000000,"exp":1900003600}"#.utf8))
        let otherPayload = Base64URL.encode(Array(#"{"user_id":6,"email":"a@example.com"}"#.utf8))
        let otherSignature = Self.signer.assemble(headerJSON: Self.validHeader, payloadJSON: "{}").split(separator: ".")[2]
        for forged in [
            Self.replacingPart(0, of: token, with: otherHeader),
            Self.replacingPart(1, of: token, with: otherPayload),
            Self.replacingPart(2, of: token, with: String(otherSignature)),
        ] {
            #expect(throws: TokenError.badSignature) { try Self.load(forged) }
        }
    }

    @Test func aSignatureWithNonCanonicalSpareBitsIsRefused() {
        // 64 signature bytes leave 4 spare bits in the last base64 character; flipping them must not be accepted.
        let token = Self.signed()
        let last = token.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let value = alphabet.firstIndex(of: last)!
        let sibling = alphabet[value ^ 1]
        #expect(throws: TokenError.badSignature) { try Self.load(String(token.dropLast()) + String(sibling)) }
        #expect(throws: TokenError.badSignature) { try Self.load(token + "X") }
    }

    @Test func algNoneIsRefused() {
        let header = Base64URL.encode(Array(#"{"alg":"none","iat":1800000000,"exp":1800003600}"#.utf8))
        let payload = Base64URL.encode(Array(Self.validPayload.utf8))
        #expect(throws: TokenError.badSignature) { try Self.load(header + "." + payload + ".") }
        #expect(throws: TokenError.algorithmMismatch(expected: "HS512")) {
            try Self.load(Self.signed(header: #"{"alg":"none","iat":1800000000,"exp":1800003600}"#))
        }
    }

    @Test func anHS256TokenIsRefusedWhenHS512IsConfigured() {
        let hs256 = TimedJSONWebSignatureSerializer(secretKey: Self.secret, algorithm: .hs256, now: { Self.now })
        let token = hs256.dumps(EmailVerificationClaims(userID: 5, email: "a@example.com"))
        #expect(throws: TokenError.badSignature) { try Self.load(token) }
        let relabelled = Self.signed(header: #"{"alg":"HS256","iat":1800000000,"exp":1800003600}"#)
        #expect(throws: TokenError.algorithmMismatch(expected: "HS512")) { try Self.load(relabelled) }
    }

    @Test func expiryRules() throws {
        #expect(throws: TokenError.missingExpiry) { try Self.load(Self.signed(header: #"{"alg":"HS512","iat":1800000000}"#)) }
        #expect(throws: TokenError.malformed("header is not a JSON object with a string alg and an integer exp")) {
            try Self.load(Self.signed(header: #"{"alg":"HS512","exp":"1800003600"}"#))
        }
        #expect(throws: TokenError.invalidExpiry) { try Self.load(Self.signed(header: #"{"alg":"HS512","exp":-1}"#)) }
        #expect(throws: TokenError.expired) { try Self.load(Self.signed(header: #"{"alg":"HS512","exp":1799999999}"#)) }
        #expect(try Self.load(Self.signed(header: #"{"alg":"HS512","exp":1800000000}"#)).userID == 5)
    }

    @Test func payloadShapeRules() {
        for payload in [#"[5,"a@example.com"]"#, #""a@example.com""#, #"{"user_id":"5","email":"a@example.com"}"#,
                        #"{"user_id":5}"#, #"{"user_id":5,"email":7}"#, #"{"user_id":true,"email":"a@example.com"}"#, "not json"] {
            #expect(throws: TokenError.badPayload("EmailVerificationClaims"), "payload \(payload)") {
                try Self.load(Self.signed(payload: payload))
            }
        }
    }

    @Test func structuralRules() {
        let parts = Self.signed().split(separator: ".").map(String.init)
        #expect(throws: TokenError.empty) { try Self.load("") }
        #expect(throws: TokenError.malformed("no signature part")) { try Self.load("abc") }
        #expect(throws: TokenError.badSignature) { try Self.load(parts[0] + "." + parts[1]) }
        #expect(throws: TokenError.badSignature) { try Self.load(parts[0] + "." + parts[2]) }
        #expect(throws: TokenError.badSignature) { try Self.load(parts[0] + "." + parts[1] + ".%%%") }
        #expect(throws: TokenError.badPayload("EmailVerificationClaims")) {
            try Self.load(Self.signed(payload: ""))
        }
    }

    @Test func badBase64InsideASignedPartIsMalformed() {
        let payload = Base64URL.encode(Array(Self.validPayload.utf8))
        let header = Base64URL.encode(Array(Self.validHeader.utf8))
        #expect(throws: TokenError.malformed("header is not base64url")) { try Self.load(Self.signing("e30!." + payload)) }
        #expect(throws: TokenError.malformed("payload is not base64url")) { try Self.load(Self.signing(header + ".e30=")) }
        #expect(throws: TokenError.malformed("no payload part")) { try Self.load(Self.signing(header)) }
    }

    @Test func aTokenOver4KiBIsRefusedBeforeAnyWork() {
        let long = Self.signed(payload: #"{"user_id":5,"email":""# + String(repeating: "x", count: 4000) + #""}"#)
        #expect(long.utf8.count > 4096)
        #expect(throws: TokenError.tooLong(length: long.utf8.count)) { try Self.load(long) }
    }

    /// Signs an arbitrary signing input, to reach the checks that come after the signature.
    static func signing(_ signingInput: String) -> String {
        signingInput + "." + Base64URL.encode(signer.signature(for: Array(signingInput.utf8)))
    }
}
