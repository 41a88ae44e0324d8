import API
import Hummingbird
import NIOCore
import Verification

/// What a console request carries: Hummingbird's own, the connection (for the rate limit and the database), and
/// once `StaffSession` has read the cookie, the staff member, the session's CSRF token and its nonce (what signing
/// out ends).
struct ConsoleRequestContext: ConnectionContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    let eventLoop: any EventLoop
    var session: Session?

    /// The staff member signed in, the session's CSRF token, and the session's nonce.
    typealias Session = (member: StaffMember, csrf: String, nonce: String)

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }

    /// The console's forms are a few fields.
    var maxUploadSize: Int { 64 * 1024 }
}
