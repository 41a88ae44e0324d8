import Fluent
import Foundation
import JobQueue
import SQLKit

/// `PUT /email/`'s write: the new address, unverified, and the mails it queues — the verification mail, and a
/// notice to the old address when a verified one is replaced — all or nothing.
///
/// Reads the account, decides in Swift (throttled? notice?), then writes only if the account still holds what was
/// read. On PostgreSQL the write is one statement (the update and the job inserts as data-modifying WITH queries:
/// one round trip, no transaction to open and close), and when another request changed the account in between,
/// it reads and decides again. SQLite's WITH cannot insert: there the read and the writes run in a transaction
/// holding the write lock, so nothing changes in between.
struct AddressChange {
    enum Outcome {
        case changed(noticeQueued: Bool)
        case throttled(retryAfter: Int)
        case noSuchUser
        /// Other changes of the same account won every attempt.
        case contended
    }

    /// Each failed attempt means another change of the account succeeded, so this bounds only pathological racing.
    static let maximumAttempts = 100

    let userID: Int64
    let email: String
    let now: Date
    /// Seconds between verification mails; 0 turns the throttle off, also against a racing change that stamped
    /// the account a moment after this one read the clock.
    let resendInterval: Int64
    let jobs: JobQueue

    func apply(on database: any Database) async throws -> Outcome {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else {
            return try await database.writeTransaction { try await attempt(on: $0 as! any SQLDatabase, write: writeInPlace) }
                ?? .contended
        }
        for _ in 0..<Self.maximumAttempts {
            if let outcome = try await attempt(on: sql, write: writeInOneStatement) { return outcome }
        }
        return .contended
    }

    private typealias Write = @Sendable (SQLQueryString, SendEmailChangedNoticeJob.Payload?, any SQLDatabase) async throws -> Bool

    /// Nil when the account changed between the read and the write.
    private func attempt(on database: any SQLDatabase, write: Write) async throws -> Outcome? {
        guard let current = try await AccountAddress.current(userID: userID, on: database) else { return .noSuchUser }
        if let last = current.verificationQueuedAt, last > cutoff {
            let wait = Double(resendInterval) - now.timeIntervalSince(last)
            return .throttled(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        let replacesVerified = current.emailActive && current.email.lowercased() != email.lowercased()
        let notice = replacesVerified ? SendEmailChangedNoticeJob.Payload(userID: userID, oldEmail: current.email, newEmail: email) : nil
        let update = AccountAddress.replacement(userID: userID, seen: current, with: email, at: now, queuedNoLaterThan: cutoff)
        return try await write(update, notice, database) ? .changed(noticeQueued: notice != nil) : nil
    }

    /// A change may go through when the last mail was queued no later than this.
    private var cutoff: Date {
        resendInterval > 0 ? now.addingTimeInterval(-Double(resendInterval)) : .distantFuture
    }

    private var verificationMail: SendVerifyEmailJob.Payload { .init(userID: userID, email: email) }
    private var verificationMailKey: String { "verify-email:\(userID)" }

    private func writeInOneStatement(_ update: SQLQueryString, notice: SendEmailChangedNoticeJob.Payload?,
                                     on database: any SQLDatabase) async throws -> Bool {
        var statement: SQLQueryString = """
            WITH changed AS (\(update)),
            verification_mail AS (\(try jobs.insertion(SendVerifyEmailJob.self, verificationMail, uniqueKey: verificationMailKey,
                                                       forEachRowOf: "changed")))
            """
        if let notice {
            statement += ", notice_mail AS (\(try jobs.insertion(SendEmailChangedNoticeJob.self, notice, forEachRowOf: "changed")))"
        }
        statement += " SELECT \(jobs.notification) FROM changed"
        return try await database.raw(statement).first() != nil
    }

    /// Inside the caller's write transaction.
    private func writeInPlace(_ update: SQLQueryString, notice: SendEmailChangedNoticeJob.Payload?,
                              on database: any SQLDatabase) async throws -> Bool {
        guard try await database.raw(update).first() != nil else { return false }
        try await jobs.enqueue(SendVerifyEmailJob.self, verificationMail, on: database, uniqueKey: verificationMailKey)
        if let notice { try await jobs.enqueue(SendEmailChangedNoticeJob.self, notice, on: database) }
        return true
    }
}
