import Foundation

/// The reference implementation, itsdangerous 1.1.0, driven through `scripts/itsdangerous_tool.py`.
/// `MEIDUO_TEST_PYTHON` names a python3 that has it; `scripts/test` creates one.
public enum ReferencePython {
    public static let executable = ProcessInfo.processInfo.environment["MEIDUO_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    public static let unavailable = "MEIDUO_TEST_PYTHON is not set: the reference python with itsdangerous 1.1.0 is missing"

    public static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        guard let executable else { throw MissingPart(description: unavailable) }
        return try Subprocess.run(executable, [RepositoryPaths.path("scripts/itsdangerous_tool.py")] + arguments)
    }

    /// A token minted by itsdangerous itself, now, for the given payload JSON.
    public static func mint(secretKey: String, expiresIn: Int, payloadJSON: String) throws -> String {
        let output = try run(["dumps", secretKey, String(expiresIn), "HS512", payloadJSON])
        guard output.status == 0 else { throw MissingPart(description: "itsdangerous_tool.py dumps failed") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct MissingPart: Error, CustomStringConvertible {
    public var description: String
}

public enum RepositoryPaths {
    /// The repository root, from this file's place in `Tests/TestSupport/`. A String, not a URL: parallel tests read
    /// it at once, and sharing one Foundation URL across threads has crashed here.
    public static let root: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return components.joined(separator: "/")
    }()

    /// An absolute path for a path relative to the repository root.
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }
}

public enum Subprocess {
    /// Runs a program to completion and returns its exit status and standard output.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Python's `email` package, an independent MIME parser, reading a message as a mail client would
/// (`scripts/parse_mail.py`).
public struct ParsedMail: Decodable, Sendable {
    public var from_name: String
    public var from_address: String
    public var to: [String]
    public var subject: String
    public var date: String
    public var message_id: String
    public var content_type: String
    public var text: String?
    public var html: String?
    public var defects: [String]
    public var bare_line_feeds: Int
    public var longest_line: Int

    public static func parse(file path: String) throws -> ParsedMail {
        guard let python = ReferencePython.executable else { throw MissingPart(description: ReferencePython.unavailable) }
        let output = try Subprocess.run(python, [RepositoryPaths.path("scripts/parse_mail.py"), path])
        guard output.status == 0 else { throw MissingPart(description: "parse_mail.py failed on \(path)") }
        return try JSONDecoder().decode(ParsedMail.self, from: Data(output.stdout.utf8))
    }

    public static func parse(raw: [UInt8]) throws -> ParsedMail {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString).eml").path
        try Data(raw).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try parse(file: path)
    }
}
