import Foundation
import Fluent
import SQLKit

/// SQLite, whose WITH cannot insert: the read and the writes run in one transaction that holds the write lock
/// from its start, so nothing changes in between.
struct SQLiteAddressStore: AddressStore {
    let database: any Database

    func attemptChange(_ write: AddressChangeWrite) async throws -> AddressChange.Outcome? {
        try await database.writeTransaction { transaction in
            let sql = transaction as! any SQLDatabase
            switch try await readAndDecide(write, on: sql) {
            case .done(let outcome):
                return outcome
            case .write(let seen, let noticeTo):
                guard try await sql.raw(write.update(seen: seen)).first() != nil else { return nil }
                try await write.jobs.enqueue(SendVerifyEmailJob.self, write.verificationMail, on: sql, uniqueKey: write.verificationMailKey)
                let notice = write.notice(to: noticeTo)
                if let notice { try await write.jobs.enqueue(SendEmailChangedNoticeJob.self, notice, on: sql) }
                return .changed
            }
        }
    }

    func activate(userID: Int64, email: String, at now: Date) async throws -> AccountAddress.Activation {
        try await AccountAddress.activate(userID: userID, email: email, at: now, on: database as! any SQLDatabase)
    }
}
