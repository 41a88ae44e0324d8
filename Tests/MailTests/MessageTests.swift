import Foundation
import Testing
import TestSupport

@testable import Mail

struct MessageTests {
    static let from = try! Mailbox(parsing: "美多商城<meiduo_mall@163.com>")

    static func verification(to address: String = "user@example.com", subject: String = "美多商城邮箱验证") throws -> Message {
        try Message(from: from, to: [Mailbox(address)], subject: subject,
                    text: "请点击此链接激活您的邮箱：\nhttp://127.0.0.1:8080/success_verify_email.html?token=a.b.c\n",
                    html: "<p>尊敬的用户您好！</p><p><a href=\"http://x/?token=a.b.c\">link</a></p>",
                    date: Date(timeIntervalSince1970: 1_795_592_644), messageID: "job-1.1795592644@163.com")
    }

    @Test func headersEncodeAsTheSeedsDjangoDid() throws {
        let raw = String(decoding: try Self.verification().render(boundary: "b"), as: UTF8.self)
        // The seed's own mail (shared/reference/sample_django_email.eml) has exactly these two header lines.
        #expect(raw.contains("\r\nSubject: =?utf-8?b?576O5aSa5ZWG5Z+O6YKu566x6aqM6K+B?=\r\n"))
        #expect(raw.hasPrefix("From: =?utf-8?b?576O5aSa5ZWG5Z+O?= <meiduo_mall@163.com>\r\n"))
        #expect(raw.contains("\r\nDate: Wed, 25 Nov 2026 07:44:04 +0000\r\n"))
        #expect(raw.contains("\r\nMessage-ID: <job-1.1795592644@163.com>\r\n"))
        #expect(raw.contains("\r\nContent-Type: multipart/alternative;\r\n boundary=\"b\"\r\n"))
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends only")
    }

    @Test func aLongSubjectFoldsIntoWordsThatNeverSplitACharacter() {
        let subject = String(repeating: "美多商城邮箱验证😀é", count: 12)
        let words = EncodedWord.words(subject)
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 68)
            let payload = word.dropFirst("=?utf-8?b?".count).dropLast(2)
            let bytes = try! #require(Data(base64Encoded: String(payload)))
            #expect(String(data: bytes, encoding: .utf8) != nil, "each word is whole UTF-8 on its own")
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func displayNamesArePlainQuotedOrEncoded() throws {
        #expect(try Mailbox(parsing: "Meiduo Mall <a@b.cn>").headerValue == "Meiduo Mall <a@b.cn>")
        #expect(try Mailbox(parsing: "\"Meiduo, Mall\" <a@b.cn>").headerValue == "\"Meiduo, Mall\" <a@b.cn>")
        #expect(try Mailbox(parsing: "a@b.cn").headerValue == "a@b.cn")
        #expect(try Mailbox(parsing: "美多商城 <a@b.cn>").displayName == "美多商城")
    }

    @Test func lineBreaksInAnyHeaderAreRefused() {
        #expect(throws: MessageError.controlCharacter(field: "to")) { try Mailbox("a@b.cn\r\nBcc: c@d.cn", field: "to") }
        #expect(throws: MessageError.controlCharacter(field: "from")) { try Mailbox(parsing: "Evil\nBcc: x@y.cn <a@b.cn>", field: "from") }
        #expect(throws: MessageError.controlCharacter(field: "subject")) {
            try Message(from: Self.from, to: [Mailbox("a@b.cn")], subject: "hi\r\nBcc: x@y.cn", text: "t")
        }
        #expect(throws: MessageError.controlCharacter(field: "Message-ID")) {
            try Message(from: Self.from, to: [Mailbox("a@b.cn")], subject: "s", text: "t", messageID: "x\r\n@y")
        }
        #expect(throws: MessageError.invalidAddress(field: "to")) { try Mailbox("not an address", field: "to") }
        #expect(throws: MessageError.noRecipients) { try Message(from: Self.from, to: [], subject: "s", text: "t") }
        #expect(throws: MessageError.noBody) { try Message(from: Self.from, to: [Mailbox("a@b.cn")], subject: "s") }
    }

    @Test(.enabled(if: ReferencePython.executable != nil, Comment(rawValue: ReferencePython.unavailable)))
    func pythonsEmailPackageReadsBackWhatWeWrote() throws {
        let longSubject = String(repeating: "美多商城邮箱验证", count: 10)
        let message = try Self.verification(subject: longSubject)
        let parsed = try ParsedMail.parse(raw: message.render())
        #expect(parsed.from_name == "美多商城")
        #expect(parsed.from_address == "meiduo_mall@163.com")
        #expect(parsed.to == ["user@example.com"])
        #expect(parsed.subject == longSubject)
        #expect(parsed.message_id == "<job-1.1795592644@163.com>")
        #expect(parsed.content_type == "multipart/alternative")
        #expect(parsed.text == message.text)
        #expect(parsed.html == message.html)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.bare_line_feeds == 0)
        #expect(parsed.longest_line <= 78)
    }
}

struct DateHeaderTests {
    @Test(arguments: [(0.0, "Thu, 01 Jan 1970 00:00:00 +0000"), (1_795_592_644.9, "Wed, 25 Nov 2026 07:44:04 +0000"),
                      (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"), (1_704_067_199, "Sun, 31 Dec 2023 23:59:59 +0000")])
    func rfc5322Dates(seconds: Double, expected: String) {
        #expect(Message.rfc5322Date(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
