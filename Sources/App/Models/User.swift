import Fluent
import Vapor

/// A shop account. The id is an integer because verification tokens carry `user_id` as an integer, as the seed's do.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: .id, generatedBy: .database) var id: Int64?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    /// Empty until the user sets one, as Django's `EmailField(blank=True)`.
    @Field(key: "email") var email: String
    @Field(key: "email_active") var emailActive: Bool
    /// When the last verification mail for this user was queued; the resend throttle counts from here.
    @OptionalField(key: "verification_queued_at") var verificationQueuedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(username: String, passwordHash: String, email: String = "") {
        self.username = username
        self.passwordHash = passwordHash
        self.email = email
        self.emailActive = false
    }
}
