import Foundation
import HTTPLimits
import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

/// The two handlers around a real HTTP/1 codec, as a server that speaks swift-http-types builds its pipeline: a
/// request head that never ends is answered 408 and closed; an idle keep-alive connection is closed without one;
/// a request being answered is not timed out.
struct DeadlineHandlersTests {
    static let timeout = TimeAmount.milliseconds(200)

    /// A connected channel: guard, HTTP/1 codec, the swift-http-types codec, the part handler.
    static func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let timer = ConnectionTimer(ConnectionDeadlines(requestTimeout: timeout, keepAliveTimeout: timeout))
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ConnectionGuardHandler(timer: timer))
        try pipeline.addHandler(HTTPResponseEncoder())
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try pipeline.addHandler(HTTPPartDeadlineHandler(timer: timer))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        return channel
    }

    /// Lets the timeout pass on the wall clock the deadlines read, then runs the loop's checks.
    static func waitOutTheTimeout(_ channel: EmbeddedChannel) throws {
        Thread.sleep(forTimeInterval: 0.3)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
    }

    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    @Test func aRequestHeadThatNeverEndsIsAnswered408AndClosed() throws {
        let channel = try Self.connection()
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n"))
        try channel.writeInbound(ByteBuffer(string: "X-Slow: 1\r\n"))
        try Self.waitOutTheTimeout(channel)
        #expect(try Self.written(channel).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(!channel.isActive)
    }

    @Test func anIdleKeepAliveConnectionIsClosedWithoutA408() throws {
        let channel = try Self.connection()
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try channel.readInbound(as: HTTPRequestPart.self).map { if case .head = $0 { true } else { false } } == true)
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok, headerFields: [.contentLength: "0"])))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(try Self.written(channel).hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(channel.isActive)
        try Self.waitOutTheTimeout(channel)
        #expect(try Self.written(channel) == "")
        #expect(!channel.isActive)
    }

    @Test func aRequestBeingAnsweredIsNotTimedOut() throws {
        let channel = try Self.connection()
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        try Self.waitOutTheTimeout(channel)
        #expect(channel.isActive, "the response is the server's to make, however long it takes")
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok, headerFields: [.contentLength: "0"])))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        #expect(try Self.written(channel).hasPrefix("HTTP/1.1 200 OK\r\n"))
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
