import Foundation
import NIOPosix
import Testing
import Vapor

@testable import Verification

/// `.env` files read exactly as the previous release (Vapor's DotEnvFile) read them, quirks included.
struct DotEnvTests {
    static let samples = [
        "SECRET_KEY=abc\nSITE_NAME=美多商城\n",
        "  # a comment\n\nEMAIL_FROM=\"美多商城 <no-reply@meiduo.test>\"\nQUOTED='single # not a comment'\n",
        "MULTI=\"line one\\nline two\"\nSPACED = kept as written \r\nLAST=no newline at the end",
        "EMPTY=\nNEXT=1\n",
        "=no key\nAFTER=1\n",
        "NO_EQUALS_LINE\nA=1\n",
        "ONE_QUOTE=\"\nB='\n",
        "URL=postgres://u:p@h:5432/db?sslmode=require\n#trailing comment",
    ]

    @Test func everySampleReadsAsTheFormerReader() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, sample) in Self.samples.enumerated() {
            let path = folder.appendingPathComponent("\(index).env").path
            try Data(sample.utf8).write(to: URL(fileURLWithPath: path))
            let former = try await DotEnvFile.read(path: path, fileio: NonBlockingFileIO(threadPool: .singleton)).lines.map { "\($0.key)=\($0.value)" }
            let ours = DotEnv.parse(Array(sample.utf8)).map { "\($0.key)=\($0.value)" }
            #expect(ours == former, "sample \(index)")
        }
    }

    @Test func theEnvironmentsFileComesFirstAndNothingSetIsOverwritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dotenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = "MEIDUO_DOTENV_TEST_\(UInt32.random(in: 0...UInt32.max))_"
        try Data("\(prefix)A=production\n".utf8).write(to: folder.appendingPathComponent(".env.production"))
        try Data("\(prefix)A=plain\n\(prefix)B=plain\n\(prefix)C=plain\n".utf8).write(to: folder.appendingPathComponent(".env"))
        setenv(prefix + "C", "set before", 1)
        DotEnv.load(environment: "production", directory: folder.path)
        let value = { (name: String) in ProcessInfo.processInfo.environment[prefix + name] }
        #expect(value("A") == "production")
        #expect(value("B") == "plain")
        #expect(value("C") == "set before")
    }
}
