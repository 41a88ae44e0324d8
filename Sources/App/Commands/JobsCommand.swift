import ArgumentParser
import Foundation
import JobQueue
import Verification

/// `meiduo jobs stats|list|retry|prune`: inspect and repair the queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspects and repairs the job queue.",
        discussion: "Environment: \(SettingsCatalog.names(readBy: .jobs)) (see `meiduo settings`).",
        subcommands: [Stats.self, List.self, Retry.self, Prune.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts jobs by state.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            try await Runtime.run(options) { runtime in
                let counts = try await runtime.migratedJobQueue().countsByState()
                for state in JobState.allCases {
                    print("\(state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(counts[state] ?? 0)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists jobs, newest first, with their last error.")
        @OptionGroup var options: CommonOptions
        @Option(name: [.customLong("state"), .customShort("s")], help: "available, running, completed or dead (default: all).")
        var state: String?
        @Option(name: [.customLong("limit"), .customShort("n")], help: "At most this many, newest first (default 20).")
        var limit: Int?

        func run() async throws {
            try await Runtime.run(options) { runtime in
                var state: JobState?
                if let name = self.state {
                    guard let parsed = JobState(rawValue: name) else {
                        throw UsageError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    state = parsed
                }
                let jobs = try await runtime.migratedJobQueue().list(state: state, limit: max(1, limit ?? 20))
                for job in jobs {
                    let runAt = Date(timeIntervalSince1970: Double(job.runAt) / 1000)
                    print("#\(job.id) \(job.kind) \(job.state.rawValue) attempt \(job.attempt)/\(job.maxAttempts) run_at \(runAt)")
                    if let error = job.lastError { print("    last error: \(error)") }
                }
                if jobs.isEmpty { print("no jobs") }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Makes dead jobs available again with a fresh set of attempts.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "Dead job ids, comma-separated, or all-dead.")
        var jobs: String

        func run() async throws {
            try await Runtime.run(options) { runtime in
                var ids: [Int64]?
                if jobs != "all-dead" {
                    let parsed = jobs.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
                    guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
                        throw UsageError("give job ids like 12,13 or the word all-dead")
                    }
                    ids = parsed.compactMap { $0 }
                }
                let database = try await runtime.migratedDatabase()
                let outcome = try await runtime.services.deadMailRetry.retry(ids: ids, on: database)
                let (retried, lifted) = (outcome.retried, outcome.lifted)
                print("retried \(retried.count) job(s)\(retried.isEmpty ? "" : ": " + retried.map(String.init).joined(separator: ","))")
                if !lifted.isEmpty { print("lifted the suppression of \(lifted.count) address(es) their refusal had caused: \(lifted.joined(separator: ", "))") }
                if let ids, Set(ids) != Set(retried) {
                    let skipped = Set(ids).subtracting(retried).sorted().map(String.init).joined(separator: ",")
                    print("not dead (or unknown), left alone: \(skipped)")
                }
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deletes completed jobs older than JOB_RETENTION_SECONDS (default 7 days).")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            try await Runtime.run(options) { runtime in
                let pruned = try await runtime.migratedJobQueue().pruneCompleted()
                print("pruned \(pruned) completed job(s)")
            }
        }
    }
}
