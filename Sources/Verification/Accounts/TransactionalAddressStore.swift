import Foundation
import SQLKit

/// The read and the writes in one transaction that holds the account from its start, so nothing changes in
/// between: on SQLite (whose WITH cannot insert) the transaction takes the write lock first; on PostgreSQL with a
/// shop's accounts table (whose resend stamp is in another table) it locks the account's row.
package struct TransactionalAddressStore: AddressStore {
    package let database: any SQLDatabase
    package let accounts: any AccountTable.Type

    package func attemptChange(_ write: AddressChangeWrite) async throws -> AddressChange.Outcome? {
        let accounts = accounts
        return try await database.writeTransaction { sql in
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT id FROM \(ident: accounts.name) WHERE id = \(bind: write.userID) FOR UPDATE").run()
            }
            switch try await readAndDecide(write, in: accounts, on: sql) {
            case .done(let outcome):
                return outcome
            case .write(let seen, let noticeTo):
                guard try await accounts.replace(userID: write.userID, seen: seen, with: write.email, at: write.now,
                                                 queuedNoLaterThan: write.cutoff, on: sql) else { return nil }
                let mailJob = try await write.jobs.enqueue(SendVerifyEmailJob.self, write.verificationMail(username: seen.username),
                                                           on: sql, uniqueKey: write.verificationMailKey)
                try await write.deliveries.record(write.queued(SendVerifyEmailJob.kind, to: write.email, jobID: mailJob), on: sql)
                if let notice = write.notice(to: noticeTo) {
                    let noticeJob = try await write.jobs.enqueue(SendEmailChangedNoticeJob.self, notice, on: sql, uniqueKey: write.noticeKey(notice))
                    try await write.deliveries.record(write.queued(SendEmailChangedNoticeJob.kind, to: notice.oldEmail, jobID: noticeJob), on: sql)
                }
                return .changed
            }
        }
    }

    package init(database: any SQLDatabase, accounts: any AccountTable.Type) {
        self.database = database
        self.accounts = accounts
    }
}
