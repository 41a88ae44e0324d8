import Foundation

/// A real SMTP server for one test (`scripts/smtp_test_server.py`, aiosmtpd), on 127.0.0.1; stopped by PID.
public final class TestSMTPServer: @unchecked Sendable {
    public enum Mode {
        case plain
        case startTLS(auth: (user: String, password: String)?)
        case implicitTLS
        case untrustedStartTLS
        case refusingRecipients(reply: String)
        case stalling
        /// Plain SMTP offering SMTPUTF8 (RFC 6531).
        case smtpUTF8
        /// Debian postfix's `smtp-sink`: plain SMTP, keeps each message (with its own trace headers) in the folder.
        case postfixSink
    }

    public let port: Int
    public let saveDirectory: URL
    private let process: Process

    public static func start(_ mode: Mode) throws -> TestSMTPServer {
        guard let python = ReferencePython.executable else { throw MissingPart(description: ReferencePython.unavailable) }
        let certificates = try TestCertificates.shared()
        let save = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: save, withIntermediateDirectories: true)
        var arguments = [RepositoryPaths.path("scripts/smtp_test_server.py"), "--save-dir", save.path]
        switch mode {
        case .plain: break
        case .startTLS(let auth):
            arguments += ["--starttls", certificates.serverCertificate, certificates.serverKey]
            if let auth { arguments += ["--auth", "\(auth.user):\(auth.password)"] }
        case .implicitTLS: arguments += ["--implicit-tls", certificates.serverCertificate, certificates.serverKey]
        case .untrustedStartTLS: arguments += ["--starttls", certificates.untrustedCertificate, certificates.untrustedKey]
        case .refusingRecipients(let reply): arguments += ["--rcpt-reply", reply]
        case .stalling: arguments += ["--stall"]
        case .smtpUTF8: arguments += ["--smtputf8"]
        case .postfixSink: return try startSink(python: python)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line is "ready PORT".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw MissingPart(description: "the test SMTP server did not start (\(arguments.dropFirst().joined(separator: " ")))") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("ready "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw MissingPart(description: "unexpected output from the test SMTP server: \(text)")
        }
        return TestSMTPServer(port: port, saveDirectory: save, process: process)
    }

    private static func startSink(python: String) throws -> TestSMTPServer {
        let save = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: save, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let port = try Int(Subprocess.run(python, ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
        process.arguments = ["-u", "nobody", "-d", save.path + "/%M.", "127.0.0.1:\(port)", "100"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            let probe = try Subprocess.run(python, ["-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 1).close()"])
            if probe.status == 0 { return TestSMTPServer(port: port, saveDirectory: save, process: process) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw MissingPart(description: "smtp-sink did not start (is Debian's postfix installed?)")
    }

    /// The files `smtp-sink -d` wrote, one per message.
    public func sinkDumps() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: saveDirectory.path).sorted().map { saveDirectory.appendingPathComponent($0).path }
    }

    private init(port: Int, saveDirectory: URL, process: Process) {
        self.port = port
        self.saveDirectory = saveDirectory
        self.process = process
    }

    deinit { stop() }

    /// SIGTERM, then SIGKILL if it lingers; polls rather than `waitUntilExit`, which can wait forever when
    /// called from a Swift concurrency thread.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public struct Received {
        public var mailFrom: String
        public var recipients: [String]
        /// MAIL FROM's parameters (`SMTPUTF8`, `SIZE=…`).
        public var mailOptions: [String]
        public var file: String
    }

    /// The messages the server accepted, in order.
    public func received() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: saveDirectory.path).filter { $0.hasSuffix(".eml") }
        return try names.sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }.map { name in
            struct Envelope: Decodable { var mail_from: String; var rcpt_tos: [String]; var mail_options: [String]? }
            let envelope = try JSONDecoder().decode(Envelope.self, from: Data(contentsOf: saveDirectory.appendingPathComponent(name.dropLast(4) + ".json")))
            return Received(mailFrom: envelope.mail_from, recipients: envelope.rcpt_tos, mailOptions: envelope.mail_options ?? [],
                            file: saveDirectory.appendingPathComponent(name).path)
        }
    }
}

/// Certificates made once per test process by `scripts/make_test_certs.sh`.
public struct TestCertificates: Sendable {
    public var authority: String
    public var serverCertificate: String
    public var serverKey: String
    public var untrustedCertificate: String
    public var untrustedKey: String

    private static let made: Result<TestCertificates, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)").path
        let result = try Subprocess.run("/bin/bash", [RepositoryPaths.path("scripts/make_test_certs.sh"), directory])
        guard result.status == 0 else { throw MissingPart(description: "make_test_certs.sh failed (is openssl installed?)") }
        return TestCertificates(authority: directory + "/ca.pem", serverCertificate: directory + "/server.pem", serverKey: directory + "/server.key",
                                untrustedCertificate: directory + "/untrusted.pem", untrustedKey: directory + "/untrusted.key")
    }

    public static func shared() throws -> TestCertificates { try made.get() }
}
