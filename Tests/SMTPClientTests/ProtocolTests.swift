import NIOCore
import Testing

@testable import SMTPClient

struct ReplyDecoderTests {
    static func decode(_ text: String) throws -> [SMTPReply] {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: text)
        var replies: [SMTPReply] = []
        while let reply = try decoder.decodeReply(&buffer) { replies.append(reply) }
        return replies
    }

    @Test func singleAndMultiLineReplies() throws {
        let replies = try Self.decode("220 mx.example ESMTP\r\n250-mx.example\r\n250-SIZE 1000\r\n250 STARTTLS\r\n")
        #expect(replies == [SMTPReply(code: 220, lines: ["mx.example ESMTP"]),
                            SMTPReply(code: 250, lines: ["mx.example", "SIZE 1000", "STARTTLS"])])
    }

    @Test func enhancedStatusCodes() throws {
        #expect(try Self.decode("550 5.1.1 <a@b.cn>: no such user\r\n").first?.enhancedCode == "5.1.1")
        #expect(try Self.decode("250 OK\r\n").first?.enhancedCode == nil)
        #expect(try Self.decode("451 4.7.1 try later\r\n").first?.isTransientFailure == true)
    }

    @Test func partialInputWaitsForTheRest() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "250-first\r\n250 sec")
        #expect(try decoder.decodeReply(&buffer) == nil)
        buffer.writeString("ond\r\n")
        #expect(try decoder.decodeReply(&buffer) == SMTPReply(code: 250, lines: ["first", "second"]))
    }

    @Test func bareLineFeedsAndACodeAloneAreAccepted() throws {
        #expect(try Self.decode("354\n") == [SMTPReply(code: 354, lines: [""])])
    }

    @Test(arguments: ["hello\r\n", "25\r\n", "2500 x\r\n", "250-a\r\n251 b\r\n", "999 x\r\n", "099 x\r\n", "250x\r\n"])
    func malformedRepliesAreErrors(_ text: String) {
        #expect(throws: SMTPProtocolError.self) { try Self.decode(text) }
    }

    @Test func anEndlessLineIsAnErrorNotAMemoryLeak() {
        #expect(throws: SMTPProtocolError.lineTooLong) { try Self.decode("250 " + String(repeating: "x", count: 5000)) }
    }
}

struct DataEncodingTests {
    @Test func linesStartingWithADotAreDoubledAndTheEndIsMarked() throws {
        let encoded = try SMTPData.encode(Array("Subject: x\r\n\r\n.hidden\r\n..two\r\nlast".utf8))
        #expect(String(decoding: encoded, as: UTF8.self) == "Subject: x\r\n\r\n..hidden\r\n...two\r\nlast\r\n.\r\n")
    }

    @Test func bareLineFeedsBecomeCRLF() throws {
        #expect(String(decoding: try SMTPData.encode(Array("a\nb\r\n".utf8)), as: UTF8.self) == "a\r\nb\r\n.\r\n")
    }

    @Test func overLongLinesAreRefused() {
        #expect(throws: SMTPError.self) { try SMTPData.encode(Array(String(repeating: "x", count: 999).utf8)) }
    }
}

struct SessionSetupTests {
    static let ehlo = SMTPReply(code: 250, lines: ["mx", "STARTTLS", "AUTH LOGIN PLAIN", "SIZE 2048"])

    @Test func startTLSThenAuthPlain() {
        var setup = SMTPSessionSetup(heloName: "me", requireStartTLS: true, credentials: .init(user: "u", password: "p"), tlsActive: false)
        #expect(setup.receive(SMTPReply(code: 220, lines: ["hi"])) == .send(.ehlo("me")))
        #expect(setup.receive(Self.ehlo) == .send(.startTLS))
        #expect(setup.receive(SMTPReply(code: 220, lines: ["go ahead"])) == .upgradeToTLS)
        #expect(setup.tlsEstablished() == .send(.ehlo("me")))
        #expect(setup.receive(Self.ehlo) == .send(.authPlain(user: "u", password: "p")))
        guard case .ready(let capabilities) = setup.receive(SMTPReply(code: 235, lines: ["ok"])) else {
            Issue.record("not ready")
            return
        }
        #expect(capabilities.sizeLimit == 2048 && capabilities.authMechanisms == ["LOGIN", "PLAIN"])
    }

    @Test func authLoginWhenPlainIsNotOffered() {
        var setup = SMTPSessionSetup(heloName: "me", requireStartTLS: false, credentials: .init(user: "u", password: "p"), tlsActive: true)
        _ = setup.receive(SMTPReply(code: 220, lines: [""]))
        #expect(setup.receive(SMTPReply(code: 250, lines: ["mx", "AUTH LOGIN"])) == .send(.authLogin))
        #expect(setup.receive(SMTPReply(code: 334, lines: ["VXNlcm5hbWU6"])) == .send(.authLoginUser("u")))
        #expect(setup.receive(SMTPReply(code: 334, lines: ["UGFzc3dvcmQ6"])) == .send(.authLoginPassword("p")))
        #expect(setup.receive(SMTPReply(code: 535, lines: ["5.7.8 bad credentials"])) ==
                .fail(SMTPError(step: "AUTH", reply: SMTPReply(code: 535, lines: ["5.7.8 bad credentials"]))))
    }

    @Test func noStartTLSOfferedMeansNoSessionInTheClear() {
        var setup = SMTPSessionSetup(heloName: "me", requireStartTLS: true, credentials: nil, tlsActive: false)
        _ = setup.receive(SMTPReply(code: 220, lines: [""]))
        guard case .fail(let error) = setup.receive(SMTPReply(code: 250, lines: ["mx", "AUTH PLAIN"])) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.step == "STARTTLS" && !error.isTransient)
    }

    @Test func heloWhenEhloIsRefused() {
        var setup = SMTPSessionSetup(heloName: "me", requireStartTLS: false, credentials: nil, tlsActive: false)
        _ = setup.receive(SMTPReply(code: 220, lines: [""]))
        #expect(setup.receive(SMTPReply(code: 502, lines: ["no EHLO"])) == .send(.helo("me")))
        #expect(setup.receive(SMTPReply(code: 250, lines: ["hi"])) == .ready(SMTPCapabilities()))
    }

    @Test func aBusyGreetingIsTransient() {
        var setup = SMTPSessionSetup(heloName: "me", requireStartTLS: false, credentials: nil, tlsActive: false)
        guard case .fail(let error) = setup.receive(SMTPReply(code: 421, lines: ["4.3.2 busy"])) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.isTransient && error.description == "greeting failed: 421 4.3.2 busy")
    }

    @Test func credentialsNeverAppearInTheLoggableForm() {
        for command in [SMTPCommand.authPlain(user: "user", password: "s3cret"), .authLoginUser("user"), .authLoginPassword("s3cret")] {
            #expect(!command.loggable.contains("s3cret") && !command.loggable.contains(command.line))
        }
    }
}

struct TransactionTests {
    static func capabilities(size: Int?) -> SMTPCapabilities {
        var capabilities = SMTPCapabilities()
        capabilities.announcesSize = size != nil
        capabilities.sizeLimit = size
        return capabilities
    }

    @Test func mailRcptDataDone() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn", "z@y.cn"], size: 100, capabilities: Self.capabilities(size: 1000))
        #expect(transaction.start() == .send([.mailFrom("a@b.cn", size: 100)]))
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .send([.rcptTo("x@y.cn")]))
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .send([.rcptTo("z@y.cn")]))
        #expect(transaction.receive(SMTPReply(code: 251, lines: ["forwarded"])) == .send([.data]))
        #expect(transaction.receive(SMTPReply(code: 354, lines: ["go"])) == .sendPayload)
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["queued"])) == .done(SMTPReply(code: 250, lines: ["queued"])))
    }

    @Test func aNonASCIIAddressIsSentWithSMTPUTF8OnlyWhereItIsOffered() {
        var offered = SMTPCapabilities(ehloReply: SMTPReply(code: 250, lines: ["relay", "SMTPUTF8", "SIZE 1000"]))
        #expect(offered.smtpUTF8)
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["用户@y.cn"], size: 100, capabilities: offered)
        #expect(transaction.start() == .send([.mailFrom("a@b.cn", size: 100, smtpUTF8: true)]))
        #expect(SMTPCommand.mailFrom("a@b.cn", size: 100, smtpUTF8: true).line == "MAIL FROM:<a@b.cn> SIZE=100 SMTPUTF8")
        offered.smtpUTF8 = false
        var refused = SMTPTransaction(from: "a@b.cn", recipients: ["用户@y.cn"], size: 100, capabilities: offered)
        guard case .fail(let error) = refused.start() else { Issue.record("sent without SMTPUTF8"); return }
        #expect(!error.isTransient && error.message.contains("SMTPUTF8"))
        var ascii = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn"], size: 100, capabilities: offered)
        #expect(ascii.start() == .send([.mailFrom("a@b.cn", size: 100)]))
    }

    static let pipelining: SMTPCapabilities = {
        var capabilities = SMTPCapabilities()
        capabilities.pipelining = true
        return capabilities
    }()

    @Test func pipeliningSendsMailRcptAndDataInOneWrite() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn", "z@y.cn"], size: 100, capabilities: Self.pipelining)
        #expect(transaction.start() == .send([.mailFrom("a@b.cn", size: nil), .rcptTo("x@y.cn"), .rcptTo("z@y.cn"), .data]))
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .awaitReply)
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .awaitReply)
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .awaitReply)
        #expect(transaction.receive(SMTPReply(code: 354, lines: ["go"])) == .sendPayload)
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["queued"])) == .done(SMTPReply(code: 250, lines: ["queued"])))
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["late"])) != .done(SMTPReply(code: 250, lines: ["late"])))
    }

    @Test func pipelinedRefusalReportsTheFirstRefusedStep() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn", "z@y.cn"], size: 1, capabilities: Self.pipelining)
        _ = transaction.start()
        #expect(transaction.receive(SMTPReply(code: 250, lines: ["ok"])) == .awaitReply)
        #expect(transaction.receive(SMTPReply(code: 550, lines: ["5.1.1 no such user"])) == .awaitReply)
        #expect(transaction.receive(SMTPReply(code: 451, lines: ["4.3.0 try later"])) == .awaitReply)
        guard case .fail(let error) = transaction.receive(SMTPReply(code: 554, lines: ["5.5.1 no valid recipients"])) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.step == "RCPT TO" && error.code == 550 && !error.isTransient)
    }

    @Test func dataAcceptedAfterARefusalClosesTheConnectionInsteadOfSending() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn", "z@y.cn"], size: 1, capabilities: Self.pipelining)
        _ = transaction.start()
        _ = transaction.receive(SMTPReply(code: 250, lines: ["ok"]))
        _ = transaction.receive(SMTPReply(code: 250, lines: ["ok"]))
        _ = transaction.receive(SMTPReply(code: 452, lines: ["4.5.3 too many recipients"]))
        guard case .failAndClose(let error) = transaction.receive(SMTPReply(code: 354, lines: ["go"])) else {
            Issue.record("expected the connection to be closed")
            return
        }
        #expect(error.step == "RCPT TO" && error.code == 452 && error.isTransient)
    }

    @Test func withoutPipeliningARefusalEndsTheTransactionAtOnce() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn"], size: 1, capabilities: SMTPCapabilities())
        _ = transaction.start()
        guard case .fail(let error) = transaction.receive(SMTPReply(code: 553, lines: ["5.1.8 bad sender"])) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.step == "MAIL FROM" && error.code == 553)
    }

    @Test func refusalsAreClassifiedByCode() {
        for (code, transient) in [(550, false), (451, true), (421, true), (554, false)] {
            var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn"], size: 1, capabilities: SMTPCapabilities())
            _ = transaction.start()
            _ = transaction.receive(SMTPReply(code: 250, lines: [""]))
            guard case .fail(let error) = transaction.receive(SMTPReply(code: code, lines: ["\(code / 100).0.0 no"])) else {
                Issue.record("expected a failure for \(code)")
                continue
            }
            #expect(error.step == "RCPT TO" && error.isTransient == transient && error.enhancedCode == "\(code / 100).0.0")
        }
    }

    @Test func aMessageOverTheSizeLimitIsNeverSent() {
        var transaction = SMTPTransaction(from: "a@b.cn", recipients: ["x@y.cn"], size: 5000, capabilities: Self.capabilities(size: 1000))
        guard case .fail(let error) = transaction.start() else {
            Issue.record("expected a failure")
            return
        }
        #expect(!error.isTransient && error.description.contains("SIZE limit of 1000"))
    }
}
