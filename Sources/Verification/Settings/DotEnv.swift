#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// `.env` files, read as the previous release read them: `.env.<environment>` first, then `.env`, each
/// `KEY=value` line setting a variable the process does not have already (the environment wins). `#` starts a
/// comment line; a value in double quotes has its quotes removed and `\n` read as a newline, in single quotes only
/// its quotes removed. A key runs to the next `=` (a line without one joins the next), and reading stops when no
/// `=` is left.
package enum DotEnv {
    /// Sets, from `directory`'s `.env.<environment>` and `.env`, each variable not set yet; a missing file is skipped.
    package static func load(environment: String, directory: String = FileManager.default.currentDirectoryPath) {
        for name in [".env.\(environment)", ".env"] {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            for (key, value) in parse(Array(data)) where !key.isEmpty { setenv(key, value, 0) }
        }
    }

    package static func parse(_ bytes: [UInt8]) -> [(key: String, value: String)] {
        var lines: [(key: String, value: String)] = []
        var index = 0
        func distance(to byte: UInt8) -> Int? {
            bytes[index...].firstIndex(of: byte).map { $0 - index }
        }
        while true {
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            guard index < bytes.count else { return lines }
            switch bytes[index] {
            case 0x23:
                index = distance(to: 0x0A).map { index + $0 + 1 } ?? bytes.count
            case 0x0A:
                index += 1
            default:
                guard let keyLength = distance(to: 0x3D) else { return lines }
                let key = String(decoding: bytes[index..<index + keyLength], as: UTF8.self)
                index += keyLength + 1
                let valueLength = distance(to: 0x0A) ?? (bytes.count - index)
                let value = String(decoding: bytes[index..<index + valueLength], as: UTF8.self)
                index += valueLength
                lines.append((key, unquoted(value)))
            }
        }
    }

    private static func unquoted(_ value: String) -> String {
        guard let first = value.first, let last = value.last else { return value }
        switch (first, last) {
        case ("\"", "\""): return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\n", with: "\n")
        case ("'", "'"): return String(value.dropFirst().dropLast())
        default: return value
        }
    }
}
