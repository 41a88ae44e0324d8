import Fluent
import SQLKit
import Vapor

/// The account a session token names, as the handlers need it — never the password hash, so nothing can save it
/// back over the account.
struct SignedInUser: Decodable {
    var id: Int64
    var username: String
    var email: String
    var emailActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, username, email
        case emailActive = "email_active"
    }

    /// One SQLKit read: a Fluent model query spent more on reflecting the model than the database spent answering.
    static func find(_ id: Int64, on database: any Database) async throws -> SignedInUser? {
        try await (database as! any SQLDatabase).select()
            .columns("id", "username", "email", "email_active").from(User.schema)
            .where("id", .equal, id)
            .first(decoding: SignedInUser.self)
    }
}
