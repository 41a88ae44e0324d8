import Foundation
import MeiduoTokens
import SQLKit

/// A six-digit code typed into the shop's form, checked for the signed-in account below HTTP: each try is counted
/// before the comparison (`VerificationCodes.maximumTries`), a right code is used up and names the address it
/// verifies; `AddressActivation` then makes it active.
package struct CodeConfirmations: Sendable {
    let accounts: any AccountTable.Type
    let codes: VerificationCodes
    let metrics: ServiceMetrics
    let clock: @Sendable () -> Date

    package enum Outcome: Equatable {
        /// The code is right: these claims are to be activated.
        case confirmed(EmailVerificationClaims)
        case alreadyVerified
        case expired
        case tooManyTries
        case addressChanged
        case wrongCode(triesLeft: Int)
        case noSuchUser
    }

    package init(accounts: any AccountTable.Type, codes: VerificationCodes, metrics: ServiceMetrics, clock: @escaping @Sendable () -> Date) {
        self.accounts = accounts
        self.codes = codes
        self.metrics = metrics
        self.clock = clock
    }

    package func confirm(_ code: String, userID: Int64, on database: any SQLDatabase) async throws -> Outcome {
        guard let account = try await SignedInUser.find(userID, in: accounts, on: database) else { return .noSuchUser }
        let stored = try await codes.stored(userID: account.id, on: database)
        switch CodeAttempt.decide(accountEmail: account.email, accountActive: account.emailActive, stored: stored, now: clock()) {
        case .alreadyVerified: return .alreadyVerified
        case .expired: return .expired
        case .tooManyTries: return .tooManyTries
        case .addressChanged: return .addressChanged
        case .compare(let email):
            guard let triesLeft = try await codes.reserveTry(userID: account.id, on: database) else { return .tooManyTries }
            guard let stored, codes.matches(code, stored, userID: account.id) else {
                metrics.wrongCode()
                return triesLeft == 0 ? .tooManyTries : .wrongCode(triesLeft: triesLeft)
            }
            try await codes.remove(userID: account.id, on: database)
            return .confirmed(EmailVerificationClaims(userID: account.id, email: email))
        }
    }
}
