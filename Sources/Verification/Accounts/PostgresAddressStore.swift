import Foundation
import SQLKit

/// PostgreSQL with the service's own accounts: a plain read, then the update and the job inserts in one statement
/// (data-modifying WITH queries: one round trip, no transaction to open and close), conditional on the account
/// still holding what was read.
package struct PostgresAddressStore: AddressStore {
    package let database: any SQLDatabase

    package func attemptChange(_ write: AddressChangeWrite) async throws -> AddressChange.Outcome? {
        switch try await readAndDecide(write, in: OwnAccounts.self, on: database) {
        case .done(let outcome):
            return outcome
        case .write(let seen, let noticeTo):
            let notice = write.notice(to: noticeTo)
            let jobs = write.jobs
            let update = OwnAccounts.replacement(userID: write.userID, seen: seen, with: write.email, at: write.now,
                                                 queuedNoLaterThan: write.cutoff)
            var statement: SQLQueryString = """
                WITH changed AS (\(update)),
                verification_mail AS (\(try jobs.insertion(SendVerifyEmailJob.self, write.verificationMail(username: seen.username),
                                                           uniqueKey: write.verificationMailKey, forEachRowOf: "changed"))),
                verification_queued AS (\(write.deliveries.insertion(write.queued(SendVerifyEmailJob.kind, to: write.email),
                                                                     jobID: "id", from: " FROM verification_mail")))
                """
            if let notice {
                statement += ", notice_mail AS (\(try jobs.insertion(SendEmailChangedNoticeJob.self, notice, uniqueKey: write.noticeKey(notice), forEachRowOf: "changed")))"
                statement += ", notice_queued AS (\(write.deliveries.insertion(write.queued(SendEmailChangedNoticeJob.kind, to: notice.oldEmail), jobID: "id", from: " FROM notice_mail")))"
            }
            statement += " SELECT id FROM changed"
            guard try await database.raw(statement).first() != nil else { return nil }
            jobs.countEnqueued(SendVerifyEmailJob.kind)
            write.deliveries.counted(.queued)
            if notice != nil {
                jobs.countEnqueued(SendEmailChangedNoticeJob.kind)
                write.deliveries.counted(.queued)
            }
            return .changed
        }
    }

    package init(database: any SQLDatabase) {
        self.database = database
    }
}
