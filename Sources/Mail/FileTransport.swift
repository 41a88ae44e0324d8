import Foundation
import NIOPosix

/// Writes each message as an `.eml` file named after its Message-ID: written to a temporary file, then renamed
/// into place, so a reader never sees half a message and a redelivered message replaces its first copy.
public struct FileTransport: MailTransport {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The file calls block, so they run on NIO's blocking pool rather than on the caller's thread, which may be
    /// an event loop serving requests.
    public func send(envelope: Envelope, raw: [UInt8]) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try write(raw, messageID: envelope.messageID) }
        return "written to \(Self.fileName(forMessageID: envelope.messageID))"
    }

    private func write(_ raw: [UInt8], messageID: String) throws {
        let name = Self.fileName(forMessageID: messageID)
        let final = directory.appendingPathComponent(name)
        let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(raw).write(to: temporary)
        } catch {
            throw FileTransportError(description: "cannot write a message into \(directory.path): \(Self.reason(error))")
        }
        guard rename(temporary.path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw FileTransportError(description: "cannot move a message into \(directory.path): \(reason)")
        }
    }

    /// The operating system's words for a file error ("Not a directory", "Permission denied").
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError ?? error as NSError
        if underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return underlying.localizedDescription
    }

    /// The Message-ID with anything but letters, digits, `.`, `-`, `_` and `@` replaced, plus `.eml`.
    public static func fileName(forMessageID messageID: String) -> String {
        String(messageID.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) ? $0 : "_" }) + ".eml"
    }
}

public struct FileTransportError: Error, CustomStringConvertible {
    public var description: String
}
