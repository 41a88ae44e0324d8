import JobQueue
import Vapor
import Verification

/// `meiduo jobs stats|list|retry|prune`: inspect and repair the queue.
struct JobsCommand: AsyncCommandGroup {
    let services: AppServices

    var help: String { "Inspects and repairs the job queue. Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`)." }

    var commands: [String: any AnyAsyncCommand] {
        ["stats": Stats(services: services), "list": List(services: services), "retry": Retry(services: services),
         "prune": Prune(services: services)]
    }

    struct Stats: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {}
        var help: String { "Counts jobs by state." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let counts = try await services.migratedJobQueue(on: context.application.db.sql).countsByState()
            for state in JobState.allCases {
                context.console.print("\(state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(counts[state] ?? 0)")
            }
        }
    }

    struct List: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {
            @Option(name: "state", short: "s", help: "available, running, completed or dead (default: all).")
            var state: String?
            @Option(name: "limit", short: "n", help: "At most this many, newest first (default 20).")
            var limit: Int?
        }

        var help: String { "Lists jobs, newest first, with their last error." }

        func run(using context: CommandContext, signature: Signature) async throws {
            var state: JobState?
            if let name = signature.state {
                guard let parsed = JobState(rawValue: name) else {
                    throw UsageError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                state = parsed
            }
            let jobs = try await services.migratedJobQueue(on: context.application.db.sql).list(state: state, limit: max(1, signature.limit ?? 20))
            for job in jobs {
                let runAt = Date(timeIntervalSince1970: Double(job.runAt) / 1000)
                context.console.print("#\(job.id) \(job.kind) \(job.state.rawValue) attempt \(job.attempt)/\(job.maxAttempts) run_at \(runAt)")
                if let error = job.lastError { context.console.print("    last error: \(error)") }
            }
            if jobs.isEmpty { context.console.print("no jobs") }
        }
    }

    struct Retry: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {
            @Argument(name: "jobs", help: "Dead job ids, comma-separated, or all-dead.")
            var jobs: String
        }

        var help: String { "Makes dead jobs available again with a fresh set of attempts." }

        func run(using context: CommandContext, signature: Signature) async throws {
            var ids: [Int64]?
            if signature.jobs != "all-dead" {
                let parsed = signature.jobs.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
                    throw UsageError("give job ids like 12,13 or the word all-dead")
                }
                ids = parsed.compactMap { $0 }
            }
            let retried = try await services.migratedJobQueue(on: context.application.db.sql).retryDead(ids: ids)
            context.console.print("retried \(retried.count) job(s)\(retried.isEmpty ? "" : ": " + retried.map(String.init).joined(separator: ","))")
            // Retrying a mail whose refusal suppressed its address says the refusal was not the address's fault
            // (a relay misconfigured, since mended): the address is mailed again.
            let lifted = try await services.suppressions.remove(causedBy: retried, on: try await services.migrated(context.application.db.sql))
            if !lifted.isEmpty { context.console.print("lifted the suppression of \(lifted.count) address(es) their refusal had caused: \(lifted.joined(separator: ", "))") }
            if let ids, Set(ids) != Set(retried) {
                let skipped = Set(ids).subtracting(retried).sorted().map(String.init).joined(separator: ",")
                context.console.warning("not dead (or unknown), left alone: \(skipped)")
            }
        }
    }

    struct Prune: AsyncCommand {
        let services: AppServices
        struct Signature: CommandSignature {}
        var help: String { "Deletes completed jobs older than JOB_RETENTION_SECONDS (default 7 days)." }

        func run(using context: CommandContext, signature: Signature) async throws {
            let pruned = try await services.migratedJobQueue(on: context.application.db.sql).pruneCompleted()
            context.console.print("pruned \(pruned) completed job(s)")
        }
    }
}
