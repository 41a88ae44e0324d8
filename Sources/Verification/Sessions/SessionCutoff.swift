import SQLKit

/// Whether a session is still good after an undo ended its account's sessions (`AddressRevert`): a token issued
/// before the account's cut-off is refused. One read of the account per signed-in request.
package struct SessionCutoff: Sendable {
    package let accounts: any AccountTable.Type
    /// Seconds a session JWT is valid (`JWT_EXPIRATION`): tells when a token without `iat` was issued.
    package let lifetime: Int64

    package func isCurrent(_ session: SessionToken, on database: any SQLDatabase) async throws -> Bool {
        guard let cutoff = try await AccountAddress.sessionsValidAfter(userID: session.userID, in: accounts, on: database) else { return true }
        return session.issuedAtMilliseconds(lifetime: lifetime) > cutoff
    }

    package init(accounts: any AccountTable.Type, lifetime: Int64) {
        self.accounts = accounts
        self.lifetime = lifetime
    }
}
