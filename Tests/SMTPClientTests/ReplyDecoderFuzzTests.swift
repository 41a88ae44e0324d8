import NIOCore
import Testing
import TestSupport

@testable import SMTPClient

/// Random and mutated server output never crashes the reply decoder: it yields replies, waits for more, or throws.
struct ReplyDecoderFuzzTests {
    static let seeds = ["220 mx ESMTP ready\r\n", "250-mx\r\n250-SIZE 1000\r\n250 STARTTLS\r\n", "550 5.1.1 <a@b.cn>: no\r\n",
                        "354 go ahead\n", "421-4.3.2 busy\r\n421 4.3.2 bye\r\n"]

    @Test func randomAndMutatedInputNeverCrashes() {
        var random = SeededRandom(seed: 1125)
        var outcomes = (replies: 0, errors: 0)
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = Array(Self.seeds.randomElement(using: &random)!.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(contentsOf: bytes[index...].prefix(8), at: index)
                    }
                }
            }
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(bytes: bytes)
            do {
                while let reply = try decoder.decodeReply(&buffer) {
                    outcomes.replies += 1
                    #expect((200...599).contains(reply.code) && !reply.lines.isEmpty)
                }
            } catch {
                outcomes.errors += 1
                #expect(error is SMTPProtocolError)
            }
        }
        #expect(outcomes.replies > 0 && outcomes.errors > 0, "both paths were exercised")
    }
}
