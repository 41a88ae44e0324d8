import Hummingbird
import Logging
import NIOCore
import SQLKit
import Verification

/// What a request carries through the API's middleware to its handler: Hummingbird's own (logger, route), the
/// connection's peer and event loop, and the verified session once `SessionAuthenticator` has read it.
package struct APIRequestContext: ConnectionContext {
    package var coreContext: CoreRequestContextStorage
    package let remoteAddress: SocketAddress?
    package let eventLoop: any EventLoop
    package var session: SessionToken?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }

    /// The API's bodies are a few bytes of form or JSON.
    package var maxUploadSize: Int { 64 * 1024 }

    /// The session `SessionAuthenticator` verified; its routes run only with one.
    func requireSession() throws -> SessionToken {
        guard let session else { throw SessionAuthenticator.unauthorized(.detail("身份认证信息未提供。")) }
        return session
    }
}

/// A request context that knows its connection: the peer (the rate limit's and the log's client) and the event
/// loop its statements run on. The API's and the console's.
package protocol ConnectionContext: RequestContext {
    var remoteAddress: SocketAddress? { get }
    var eventLoop: any EventLoop { get }
}

/// The pooled database a request's statements run on: on its connection's event loop, logging with its logger.
package struct RequestDatabase: Sendable {
    private let open: @Sendable (Logger, any EventLoop) -> any SQLDatabase

    package init(_ open: @escaping @Sendable (_ logger: Logger, _ eventLoop: any EventLoop) -> any SQLDatabase) {
        self.open = open
    }

    package func callAsFunction(_ context: some ConnectionContext) -> any SQLDatabase {
        open(context.logger, context.eventLoop)
    }
}
