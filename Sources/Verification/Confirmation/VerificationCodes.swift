import Hex
import ConstantTime
import Crypto
import Foundation
import SQLKit

/// The six-digit code each verification mail carries beside its link, for a person to type into the shop's own
/// form (`POST /emails/verification/ {"code"}` with their session). One per account: the latest mail's. The code
/// is derived from the mail's job, so a retried send mails the same code, and keeps the tries already spent on it;
/// only its HMAC under `SECRET_KEY` is stored, compared in constant time. It lives `VERIFY_CODE_TTL` and allows
/// `maximumTries` attempts.
package struct VerificationCodes: Sendable {
    package static let maximumTries = 5

    package let table: String
    package let key: SymmetricKey
    /// Seconds a code is accepted after its mail was made.
    package let lifetime: Int64

    package init(table: String, secretKey: String, lifetime: Int64) {
        self.table = table
        self.key = SymmetricKey(data: Array("meiduo verification code|\(secretKey)".utf8))
        self.lifetime = lifetime
    }

    /// The code of the verification mail made by job `jobID`: the same for every attempt of the job.
    package func code(jobID: Int64, userID: Int64, email: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("job|\(jobID)|\(userID)|\(email)".utf8), using: key)
        let number = mac.withUnsafeBytes { $0.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } } % 1_000_000
        return String(format: "%06u", number)
    }

    /// An account's code as it is stored: its HMAC, never the code.
    package struct Issued: Sendable {
        package var userID: Int64
        package var email: String
        package var codeHash: String
        package var expiresAt: Int64
    }

    package func issued(_ code: String, userID: Int64, email: String, at now: Date) -> Issued {
        Issued(userID: userID, email: email, codeHash: hash(code, userID: userID, email: email), expiresAt: Int64(now.timeIntervalSince1970) + lifetime)
    }

    /// Stores each code as its account's, in one statement; an account's later code in the batch wins. A code
    /// stored again (a retried send) keeps the tries already spent on it.
    package func store(_ codes: [Issued], on database: any SQLDatabase) async throws {
        var latest: [Int64: Issued] = [:]
        for code in codes { latest[code.userID] = code }
        guard !latest.isEmpty else { return }
        let rows = SQLList(latest.values.sorted { $0.userID < $1.userID }.map { code in
            SQLGroupExpression([SQLBind(code.userID), SQLBind(code.email), SQLBind(code.codeHash), SQLBind(code.expiresAt), SQLLiteral.numeric("0")])
        })
        try await database.raw("""
            INSERT INTO \(ident: table) (user_id, email, code_hash, expires_at, tries) VALUES \(rows)
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, code_hash = excluded.code_hash,
                expires_at = excluded.expires_at,
                tries = CASE WHEN \(ident: table).code_hash = excluded.code_hash THEN \(ident: table).tries ELSE 0 END
            """).run()
    }

    package func hash(_ code: String, userID: Int64, email: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Array("code|\(userID)|\(email)|\(code)".utf8), using: key))
    }

    /// The account's stored code, as `CodeAttempt` decides on it.
    package struct Stored: Decodable {
        package var email: String
        package var code_hash: String
        package var expires_at: Int64
        package var tries: Int

        package init(email: String, code_hash: String, expires_at: Int64, tries: Int) {
            self.email = email
            self.code_hash = code_hash
            self.expires_at = expires_at
            self.tries = tries
        }
    }

    package func stored(userID: Int64, on database: any SQLDatabase) async throws -> Stored? {
        try await database.raw("SELECT email, code_hash, expires_at, tries FROM \(ident: table) WHERE user_id = \(bind: userID)")
            .first(decoding: Stored.self)
    }

    /// Counts one try against the account's code, in one statement, before the comparison: the tries left after
    /// this one, or nil when none was left. Concurrent guesses cannot get past the count.
    package func reserveTry(userID: Int64, on database: any SQLDatabase) async throws -> Int? {
        try await database.raw("""
            UPDATE \(ident: table) SET tries = tries + 1 WHERE user_id = \(bind: userID) AND tries < \(bind: Self.maximumTries)
            RETURNING tries
            """).first().map { Self.maximumTries - (try $0.decode(column: "tries", as: Int.self)) }
    }

    /// Whether `code` is the one stored.
    package func matches(_ code: String, _ stored: Stored, userID: Int64) -> Bool {
        ConstantTime.equal(Array(hash(code, userID: userID, email: stored.email).utf8), Array(stored.code_hash.utf8))
    }

    package func remove(userID: Int64, on database: any SQLDatabase) async throws {
        try await database.raw("DELETE FROM \(ident: table) WHERE user_id = \(bind: userID)").run()
    }
}

/// What a typed code does, decided from the account and its stored code as read — no storage, no clock of its own.
package enum CodeAttempt: Equatable {
    /// Compare the code (after counting the try); `email` is what it verifies.
    case compare(email: String)
    case alreadyVerified
    case expired
    case tooManyTries
    case addressChanged

    package static func decide(accountEmail: String, accountActive: Bool, stored: VerificationCodes.Stored?, now: Date) -> CodeAttempt {
        guard let stored else { return accountActive ? .alreadyVerified : .expired }
        guard stored.email.lowercased() == accountEmail.lowercased() else { return .addressChanged }
        if accountActive { return .alreadyVerified }
        if Int64(now.timeIntervalSince1970) > stored.expires_at { return .expired }
        if stored.tries >= VerificationCodes.maximumTries { return .tooManyTries }
        return .compare(email: stored.email)
    }

    package static let expiredMessage = "验证码已失效：请在用户中心重新发送验证邮件。"
    package static let tooManyTriesMessage = "验证码错误次数过多：请在用户中心重新发送验证邮件。"
    package static let malformedMessage = "验证码为 6 位数字。"
}
