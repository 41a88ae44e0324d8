import NIOCore

/// Splits the server's byte stream into replies: `250-first`, `250-second`, `250 last` make one reply.
/// Malformed input (no code, mixed codes, over-long lines) is an error, never a crash.
public struct SMTPReplyDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 octets per reply line; some servers send more, so allow a margin.
    public static let maximumLineLength = 4096

    private var pending: [String] = []
    private var pendingCode: Int?

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try decodeReply(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }

    /// The channel-free core: consumes complete lines from `buffer`, returning a reply once its last line is in.
    public mutating func decodeReply(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while let line = try readLine(&buffer) {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let code = Int(String(decoding: bytes[0...2], as: UTF8.self)), (200...599).contains(code)
            else { throw SMTPProtocolError.malformedReply(line: Self.printable(line)) }
            let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw SMTPProtocolError.malformedReply(line: Self.printable(line))
            }
            if let pendingCode, pendingCode != code { throw SMTPProtocolError.malformedReply(line: Self.printable(line)) }
            pendingCode = code
            pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if separator == UInt8(ascii: " ") {
                defer { pending = []; pendingCode = nil }
                return SMTPReply(code: code, lines: pending)
            }
        }
        return nil
    }

    private func readLine(_ buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > Self.maximumLineLength { throw SMTPProtocolError.lineTooLong }
            return nil
        }
        let length = newline - view.startIndex
        guard length <= Self.maximumLineLength else { throw SMTPProtocolError.lineTooLong }
        var bytes = buffer.readBytes(length: length + 1)!.dropLast()
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func printable(_ line: String) -> String {
        String(line.prefix(120).map { $0.isASCII && !$0.isNewline && ($0.asciiValue ?? 0) >= 0x20 ? $0 : "?" })
    }
}

public enum SMTPProtocolError: Error, Equatable, CustomStringConvertible {
    case malformedReply(line: String)
    case lineTooLong

    public var description: String {
        switch self {
        case .malformedReply(let line): "the server sent a line that is not an SMTP reply: \(line)"
        case .lineTooLong: "the server sent a reply line over \(SMTPReplyDecoder.maximumLineLength) bytes"
        }
    }
}
