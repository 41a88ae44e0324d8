import NIOCore

/// One line from a client, without its line end; or the news that a line was longer than allowed (its bytes are
/// dropped up to the next line end, so a client cannot make the server buffer without bound).
public enum SMTPClientLine: Sendable, Equatable {
    case line([UInt8])
    case overlong
}

/// Splits the client's byte stream into lines, for commands and for the DATA payload alike.
public struct SMTPLineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = SMTPClientLine

    private let maximumLength: Int
    private var discarding = false

    public init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = next(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// The channel-free core.
    public mutating func next(_ buffer: inout ByteBuffer) -> SMTPClientLine? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > maximumLength {
                buffer.moveReaderIndex(forwardBy: view.count)
                discarding = true
            }
            return nil
        }
        var bytes = buffer.readBytes(length: newline - view.startIndex + 1)!.dropLast()
        if discarding {
            discarding = false
            return .overlong
        }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        return bytes.count > maximumLength ? .overlong : .line(Array(bytes))
    }
}
