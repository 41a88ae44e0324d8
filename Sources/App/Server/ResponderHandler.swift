import HTTPLimits
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Vapor
import Verification

/// Hands each HTTP/1 request, collected (at most `maximumBodySize`), to the application's responder — its
/// middleware and routes, as Vapor's own server does — and writes the response back. A body over the limit is
/// not kept: the request goes on marked (`OversizeBody`), for the app to answer 413 in its own format.
final class ResponderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let application: Application
    private let timer: ConnectionTimer
    private let maximumBodySize: Int
    private let dates: HTTPDate
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var oversize = false

    init(application: Application, timer: ConnectionTimer, maximumBodySize: Int, dates: HTTPDate) {
        self.application = application
        self.timer = timer
        self.maximumBodySize = maximumBodySize
        self.dates = dates
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            oversize = false
        case .body(var chunk):
            guard !oversize else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maximumBodySize {
                oversize = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            timer.requestComplete()
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let request = Request(application: application, method: head.method, url: URI(string: head.uri), version: head.version,
                              headersNoUpdate: head.headers, collectedBody: body, remoteAddress: context.channel.remoteAddress,
                              logger: application.logger, byteBufferAllocator: context.channel.allocator, on: context.eventLoop)
        body = nil
        if oversize { request.storage[OversizeBody.self] = true }
        let keepAlive = head.isKeepAlive
        let isHead = head.method == .HEAD
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        application.responder.current.respond(to: request)
            .flatMap { response in response.body.collect(on: request.eventLoop).map { (response, $0) } }
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { [self] result in
                let context = loopBound.value
                switch result {
                case .success(let (response, collected)):
                    write(response, body: collected, keepAlive: keepAlive, omitBody: isHead, version: head.version, context: context)
                case .failure(let error):
                    application.logger.error("a response could not be made", metadata: ["error": "\(DatabaseErrorText.describe(error))"])
                    var headers = HTTPHeaders([("content-length", "0")])
                    headers.add(name: .connection, value: "close")
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .internalServerError, headers: headers))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                }
            }
    }

    private func write(_ response: Response, body: ByteBuffer?, keepAlive: Bool, omitBody: Bool, version: HTTPVersion,
                       context: ChannelHandlerContext) {
        var headers = response.headers
        headers.replaceOrAdd(name: "date", value: dates.now())
        headers.replaceOrAdd(name: .connection, value: keepAlive ? "keep-alive" : "close")
        if response.status != .noContent && response.status != .notModified {
            headers.replaceOrAdd(name: .contentLength, value: String(body?.readableBytes ?? 0))
        }
        headers.remove(name: .transferEncoding)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        if let body, !omitBody, body.readableBytes > 0, response.status != .noContent {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [self] _ in
            timer.responseComplete()
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

/// Set on a request whose body was over the limit; `OversizeBodyMiddleware` answers it 413.
enum OversizeBody: StorageKey {
    typealias Value = Bool
}

/// The innermost middleware: a request `ResponderHandler` marked as too large is refused as Vapor refuses a body
/// over `defaultMaxBodySize`, so the error middleware words it.
struct OversizeBodyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.storage[OversizeBody.self] == true { throw Abort(.payloadTooLarge) }
        return try await next.respond(to: request)
    }
}

/// The `Date` header's value (RFC 9110's IMF-fixdate), formatted once a second.
final class HTTPDate: Sendable {
    private let cached = NIOLockedValueBox((second: Int64(-1), text: ""))

    func now() -> String {
        let second = Int64(Date().timeIntervalSince1970)
        return cached.withLockedValue { cached in
            if cached.second != second {
                cached = (second, Self.format(Date(timeIntervalSince1970: Double(second))))
            }
            return cached.text
        }
    }

    private static func format(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT")!, calendar: Calendar(identifier: .gregorian)))
    }
}
