import JobQueue
import SQLKit

/// Dead jobs made available again with a fresh set of attempts (`meiduo jobs retry`, the console's retry). Retrying a
/// mail whose refusal suppressed its address says the refusal was not the address's fault (a relay misconfigured,
/// since mended): the address is mailed again.
package struct DeadMailRetry: Sendable {
    package let jobs: JobQueue
    package let suppressions: Suppressions

    package init(jobs: JobQueue, suppressions: Suppressions) {
        self.jobs = jobs
        self.suppressions = suppressions
    }

    package struct Outcome: Sendable, Equatable {
        /// The jobs that were dead and are available now.
        package var retried: [Int64]
        /// The addresses whose suppression those jobs' refusals had caused, lifted.
        package var lifted: [String]
    }

    /// `ids == nil`: every dead job.
    package func retry(ids: [Int64]?, on database: any SQLDatabase) async throws -> Outcome {
        let retried = try await jobs.retryDead(ids: ids)
        return Outcome(retried: retried, lifted: try await suppressions.remove(causedBy: retried, on: database))
    }
}
