import MeiduoTokens
import Testing
import TestSupport

@testable import SignedToken

/// 100,000 random mutations of valid tokens (bytes flipped, parts swapped, truncated, base64 altered): the loader
/// never crashes and never accepts a token that differs from the one it signed.
struct MutationPropertyTests {
    static let now: Int64 = 1_800_000_000
    static let serializer = TimedJSONWebSignatureSerializer(secretKey: "property-test-secret-key-0123456789", expiresIn: 600, now: { now })
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\u{0}é")

    static func mutate(_ token: String, _ random: inout SeededRandom) -> String {
        var bytes = Array(token.utf8)
        switch Int.random(in: 0..<6, using: &random) {
        case _ where bytes.isEmpty:
            return "A"
        case 0:  // flip a bit
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
        case 1:  // replace a character
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes.replaceSubrange(index...index, with: Array(String(alphabet.randomElement(using: &random)!).utf8))
        case 2:  // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
        case 3:  // insert a character
            bytes.insert(contentsOf: Array(String(alphabet.randomElement(using: &random)!).utf8), at: Int.random(in: 0...bytes.count, using: &random))
        case 4:  // delete a character
            bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
        default:  // swap two of the three parts
            var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { return token + "." }  // an earlier mutation took the dots away
            let first = Int.random(in: 0..<parts.count, using: &random)
            parts.swapAt(first, (first + Int.random(in: 1..<parts.count, using: &random)) % parts.count)
            return parts.joined(separator: ".")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func mutatedTokensAreNeverAccepted() {
        var random = SeededRandom(seed: 20_261_125)
        let claims = (0..<20).map { EmailVerificationClaims(userID: Int64($0) * 7919, email: "user\($0)@例子.中国") }
        let tokens = claims.map { Self.serializer.dumps($0) }
        var accepted = 0
        for round in 0..<100_000 {
            let index = round % tokens.count
            var mutated = tokens[index]
            for _ in 0..<Int.random(in: 1...3, using: &random) { mutated = Self.mutate(mutated, &random) }
            do {
                let loaded = try Self.serializer.loads(mutated, as: EmailVerificationClaims.self)
                accepted += 1
                #expect(mutated == tokens[index] && loaded == claims[index], "round \(round): a changed token was accepted")
            } catch {
                #expect(mutated != tokens[index], "round \(round): the unchanged token was refused: \(error)")
            }
        }
        #expect(accepted < 1_000, "almost every mutation changes the token")
    }
}
