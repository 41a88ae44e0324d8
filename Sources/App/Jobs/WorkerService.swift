import ServiceLifecycle
import Verification

/// A queue worker as a `Service`: started when its group runs, stopped gracefully (`Worker.shutdown`: the jobs
/// in hand finish or are handed back) when the group shuts down.
struct WorkerService: Service {
    let start: @Sendable () -> RunningWorker

    func run() async throws {
        let running = start()
        try? await gracefulShutdown()
        await running.stop()
    }
}
