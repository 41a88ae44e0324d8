import Foundation
import SQLKit

/// PostgreSQL with the service's own accounts: a plain read, then the recipient count, the update and the job
/// inserts in one statement (data-modifying WITH queries: one round trip and one commit, no transaction to open and
/// close), the update conditional on the account still holding what was read and on the count allowing the mail.
package struct PostgresAddressStore: AddressStore {
    package let database: any SQLDatabase

    package func attemptChange(_ write: AddressChangeWrite) async throws -> AddressChange.Outcome? {
        switch try await readAndDecide(write, in: OwnAccounts.self, on: database, countsInWrite: true) {
        case .done(let outcome):
            return outcome
        case .write(let seen, let noticeTo):
            // A retry after a lost race does not count the address again.
            let counts = !write.recipientCounted.withLockedValue { $0 }
            if counts { try await write.recipients.pruneIfDue(at: write.now, on: database) }
            let row = try await database.raw(statement(write, seen: seen, noticeTo: noticeTo, counts: counts)).first(decoding: Written.self)
            if counts, let row {
                let counted = RecipientLimit.Counted(share: row.share ?? true, address: row.address ?? true)
                if let seconds = try await write.recipients.wait(after: counted, write.email, for: write.userID, at: write.now, on: database) {
                    return .recipientThrottled(retryAfter: seconds)
                }
                write.recipientCounted.withLockedValue { $0 = true }
            }
            guard row?.changed != nil else { return nil }
            write.jobs.countEnqueued(SendVerifyEmailJob.kind)
            write.deliveries.counted(.queued)
            if noticeTo != nil {
                write.jobs.countEnqueued(SendEmailChangedNoticeJob.kind)
                write.deliveries.counted(.queued)
            }
            return .changed
        }
    }

    /// What the statement answers: the account's id when it changed; with a count, which limits allowed it.
    private struct Written: Decodable {
        var changed: Int64?
        var share: Bool?
        var address: Bool?
    }

    private func statement(_ write: AddressChangeWrite, seen: AccountAddress.Current, noticeTo: String?, counts: Bool) throws -> SQLQueryString {
        let jobs = write.jobs
        let update = OwnAccounts.replacement(userID: write.userID, seen: seen, with: write.email, at: write.now, queuedNoLaterThan: write.cutoff,
                                             onlyIf: counts ? RecipientLimit.countedCondition : "true")
        var statement: SQLQueryString = "WITH "
        if counts { statement += write.recipients.countingQueries(write.email, for: write.userID, at: write.now) + ", " }
        statement += """
            changed AS (\(update)),
            verification_mail AS (\(try jobs.insertion(SendVerifyEmailJob.self, write.verificationMail(username: seen.username),
                                                       uniqueKey: write.verificationMailKey, forEachRowOf: "changed"))),
            verification_queued AS (\(write.deliveries.insertion(write.queued(SendVerifyEmailJob.kind, to: write.email),
                                                                 jobID: "id", from: " FROM verification_mail")))
            """
        if let notice = write.notice(to: noticeTo) {
            statement += ", notice_mail AS (\(try jobs.insertion(SendEmailChangedNoticeJob.self, notice, uniqueKey: write.noticeKey(notice), forEachRowOf: "changed")))"
            statement += ", notice_queued AS (\(write.deliveries.insertion(write.queued(SendEmailChangedNoticeJob.kind, to: notice.oldEmail), jobID: "id", from: " FROM notice_mail")))"
        }
        statement += " SELECT (SELECT id FROM changed) AS changed"
        if counts { statement += ", " + RecipientLimit.countedColumns }
        return statement
    }

    package init(database: any SQLDatabase) {
        self.database = database
    }
}
