import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Behind the HTTP/1 codec: what a request head must be before anything reads it. Exactly one `Host` (RFC 9112
/// §3.2), else 400; a declared `Content-Length` over `maximumBodySize` is 413 at once, without reading the body;
/// `Expect: 100-continue` is answered `100 Continue` (any other expectation 417). A refusal closes the connection,
/// and nothing after the refused head is read.
public final class RequestHeadRules: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    static let host = HTTPField.Name("Host")!
    private let maximumBodySize: Int
    private var refused = false

    public init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    /// What the head gets: forwarded, forwarded after a `100 Continue`, or refused with a status.
    enum Verdict: Equatable {
        case forward
        case continueThenForward
        case refuse(HTTPResponse.Status)
    }

    static func verdict(_ request: HTTPRequest, maximumBodySize: Int) -> Verdict {
        // HTTPTypes keeps the first Host as the authority and any further one as a field.
        guard request.authority != nil, request.headerFields[values: host].isEmpty else { return .refuse(.badRequest) }
        if let length = request.headerFields[.contentLength], let declared = Int(length), declared > maximumBodySize {
            return .refuse(.contentTooLarge)
        }
        guard let expectation = request.headerFields[.expect] else { return .forward }
        return expectation.lowercased() == "100-continue" ? .continueThenForward : .refuse(.expectationFailed)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard case .head(let request) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        switch Self.verdict(request, maximumBodySize: maximumBodySize) {
        case .forward:
            context.fireChannelRead(data)
        case .continueThenForward:
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            context.fireChannelRead(data)
        case .refuse(let status):
            refused = true
            let response = HTTPResponse(status: status, headerFields: [.connection: "close", .contentLength: "0"])
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
