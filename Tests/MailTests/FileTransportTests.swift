import Foundation
import Testing

@testable import Mail

struct FileTransportTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
    }

    @Test func writesOneFilePerMessageIdAndARedeliveryReplacesIt() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = FileTransport(directory: directory)
        let message = try MessageTests.verification()
        try await transport.send(message)
        try await transport.send(message)
        var second = message
        second.messageID = "job-2.1795592644@163.com"
        try await transport.send(second)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["job-1.1795592644@163.com.eml", "job-2.1795592644@163.com.eml"], "no temporary files are left")
        let stored = try Data(contentsOf: directory.appendingPathComponent(names[0]))
        #expect(stored.starts(with: Array("From: ".utf8)))
    }

    @Test func aFolderThatCannotBeWrittenIsAnErrorNotALoss() async throws {
        let directory = Self.temporaryDirectory()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocked = directory.appendingPathComponent("a-file-not-a-folder")
        FileManager.default.createFile(atPath: blocked.path, contents: Data())
        let error = await #expect(throws: FileTransportError.self) {
            try await FileTransport(directory: blocked).send(try MessageTests.verification())
        }
        let description = try #require(error?.description)
        #expect(description.hasPrefix("cannot write a message into \(blocked.path): "))
        #expect(!description.contains("Domain="), "a sentence, not an NSError dump: \(description)")
    }

    @Test func fileNamesCannotEscapeTheFolder() {
        #expect(FileTransport.fileName(forMessageID: "../../etc/passwd@x") == ".._.._etc_passwd@x.eml")
    }
}
