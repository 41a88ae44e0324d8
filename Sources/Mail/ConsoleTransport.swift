import Foundation

/// Prints each message to standard output, as Django's console backend does; for development.
public struct ConsoleTransport: MailTransport {
    public init() {}

    public func send(envelope: Envelope, raw: [UInt8]) async throws -> String {
        let separator = String(repeating: "-", count: 79)
        let text = "\(separator)\nMAIL FROM:<\(envelope.from)> RCPT TO:\(envelope.recipients.map { "<\($0)>" }.joined(separator: ","))\n"
            + String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") + separator + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        return "printed"
    }
}
