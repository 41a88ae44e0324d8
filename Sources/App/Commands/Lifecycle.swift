import SMTPClient
import Vapor
import Verification

/// A worker running inside `serve` stops, gracefully, when the application shuts down.
extension RunningWorker: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await stop()
    }
}

/// QUITs the pooled SMTP sessions when the application shuts down.
struct SMTPPoolShutdown: LifecycleHandler {
    let pool: SMTPConnectionPool

    func shutdownAsync(_ application: Application) async {
        await pool.shutdown()
    }
}
