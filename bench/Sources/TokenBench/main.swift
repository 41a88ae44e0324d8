// Signing and verifying email-verification tokens as the service does (HS512, a day's lifetime): COUNT tokens for
// different users signed, then the same tokens verified, on one thread. Run by bench/token (release build); prints
// "SIGN_PER_SECOND VERIFY_PER_SECOND".
//   TokenBench [count]
import Foundation
import MeiduoTokens
import SignedToken

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 200_000
let serializer = TimedJSONWebSignatureSerializer(secretKey: "bench-secret-key-of-at-least-thirty-two-bytes", expiresIn: 86_400)
var tokens: [String] = []
tokens.reserveCapacity(count)
let clock = ContinuousClock()
let signing = clock.measure {
    for index in 0..<count {
        tokens.append(serializer.dumps(EmailVerificationClaims(userID: Int64(index), email: "user\(index)@example.com")))
    }
}
var verified = 0
let verifying = clock.measure {
    for (index, token) in tokens.enumerated() {
        if let claims = try? serializer.loads(token, as: EmailVerificationClaims.self), claims.userID == index { verified += 1 }
    }
}
guard verified == count else {
    FileHandle.standardError.write(Data("only \(verified) of \(count) tokens verified\n".utf8))
    exit(1)
}
func perSecond(_ duration: Duration) -> Int {
    Int(Double(count) / (Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18))
}
print(perSecond(signing), perSecond(verifying))
