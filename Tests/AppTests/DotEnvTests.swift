import Foundation
import Testing

@testable import Verification

/// `.env` files read exactly as the previous release (Vapor's DotEnvFile) read them, quirks included: each sample
/// with what that reader made of it, recorded while both were in the build.
struct DotEnvTests {
    static let samples: [(file: String, read: [String])] = [
        ("SECRET_KEY=abc\nSITE_NAME=美多商城\n", ["SECRET_KEY=abc", "SITE_NAME=美多商城"]),
        ("  # a comment\n\nEMAIL_FROM=\"美多商城 <no-reply@meiduo.test>\"\nQUOTED='single # not a comment'\n",
         ["EMAIL_FROM=美多商城 <no-reply@meiduo.test>", "QUOTED=single # not a comment"]),
        ("MULTI=\"line one\\nline two\"\nSPACED = kept as written \r\nLAST=no newline at the end",
         ["MULTI=line one\nline two", "SPACED = kept as written \r", "LAST=no newline at the end"]),
        ("EMPTY=\nNEXT=1\n", ["EMPTY=", "NEXT=1"]),
        ("=no key\nAFTER=1\n", ["=no key", "AFTER=1"]),
        ("NO_EQUALS_LINE\nA=1\n", ["NO_EQUALS_LINE\nA=1"]),
        ("ONE_QUOTE=\"\nB='\n", ["ONE_QUOTE=", "B="]),
        ("URL=postgres://u:p@h:5432/db?sslmode=require\n#trailing comment", ["URL=postgres://u:p@h:5432/db?sslmode=require"]),
    ]

    @Test func everySampleReadsAsTheFormerReader() {
        for (index, sample) in Self.samples.enumerated() {
            let ours = DotEnv.parse(Array(sample.file.utf8)).map { "\($0.key)=\($0.value)" }
            #expect(ours == sample.read, "sample \(index)")
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
