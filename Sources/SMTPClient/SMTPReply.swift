/// A server reply: a three-digit code and one or more lines of text (RFC 5321 §4.2), with the RFC 3463 enhanced
/// status code when the server gives one.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// `5.1.1` in `550 5.1.1 No such user`.
    public var enhancedCode: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(first)
    }

    public var text: String { lines.joined(separator: " ") }

    /// The reply on the wire, as a server sends it: `250-first` … `250 last`, each line ending in CRLF.
    public var encoded: [UInt8] {
        let lines = lines.isEmpty ? [""] : lines
        return lines.enumerated().flatMap { index, line in
            Array("\(code)\(index == lines.count - 1 ? " " : "-")\(line)\r\n".utf8)
        }
    }
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    public var description: String { "\(code) \(text)" }
}
