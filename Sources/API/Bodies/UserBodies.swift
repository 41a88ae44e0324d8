import Foundation
import PythonJSON
import Verification

struct RegistrationRequest {
    static let usernameCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

    var username: String
    var password: String
    var email: String

    /// DRF-style validation with the seed's messages; every field is checked before anything is reported.
    /// `maximumPasswordBytes`: what the password scheme reads in full (bcrypt: 72), refused beyond.
    init(form: FormFields, maximumPasswordBytes: Int?) throws {
        var errors = FieldErrors()
        let username = form.text("username", into: &errors)
        let password = form.text("password", trim: false, into: &errors)
        let email = form.text("email", required: false, into: &errors)
        if let username {
            if !(5...20).contains(username.count) {
                errors.add("username", "仅允许5-20个字符的用户名")
            } else if !username.allSatisfy(Self.usernameCharacters.contains) {
                errors.add("username", "用户名只能包含字母、数字、下划线和连字符。")
            }
        }
        if let password, let problem = Self.passwordProblem(password, maximumPasswordBytes: maximumPasswordBytes) {
            errors.add("password", problem)
        }
        let canonical = email.flatMap { $0.isEmpty ? "" : EmailAddress.canonical($0) }
        if let email, canonical == nil {
            errors.add("email", EmailAddress.hasNonASCIILocalPart(email) ? EmailChangeRequest.nonASCIILocalPartMessage : EmailChangeRequest.invalidMessage)
        }
        try errors.throwIfAny()
        self.username = username!
        self.password = password!
        self.email = canonical ?? ""
    }

    /// Why `password` cannot be an account's, or nil: 8–20 characters, no NUL (bcrypt stops reading at one, so
    /// "\0abcdefg" and "\0\0\0\0\0\0\0\0" would be one password), at most what the scheme reads.
    static func passwordProblem(_ password: String, maximumPasswordBytes: Int?) -> String? {
        if !(8...20).contains(password.count) { return "仅允许8-20个字符的密码" }
        if password.utf8.contains(0) { return "密码不能包含空字符（NUL）。" }
        if let maximumPasswordBytes, password.utf8.count > maximumPasswordBytes {
            return "密码的 UTF-8 编码不能超过\(maximumPasswordBytes)个字节。"
        }
        return nil
    }
}

struct LoginRequest {
    var username: String
    var password: String

    init(form: FormFields) throws {
        var errors = FieldErrors()
        let username = form.text("username", into: &errors)
        let password = form.text("password", trim: false, into: &errors)
        try errors.throwIfAny()
        self.username = username!
        self.password = password!
    }
}

struct RegistrationResponse: JSONBody {
    var id: Int64
    var username: String
    var email: String
    var token: String

    var members: [(String, CompactJSON.Value)] {
        [("id", .integer(id)), ("username", .string(username)), ("email", .string(email)), ("token", .string(token))]
    }
}

struct LoginResponse: JSONBody {
    var token: String
    var userID: Int64
    var username: String

    var members: [(String, CompactJSON.Value)] {
        [("token", .string(token)), ("user_id", .integer(userID)), ("username", .string(username))]
    }
}

struct ProfileResponse: JSONBody {
    var user: SignedInUser
    /// The latest step of the latest mail to the user's address (`DeliveryLog`), if any.
    var latestDelivery: DeliveryLog.Entry?

    var members: [(String, CompactJSON.Value)] {
        [("id", .integer(user.id)), ("username", .string(user.username)), ("email", .string(user.email)),
         ("email_active", .bool(user.emailActive)), ("email_delivery", emailDelivery)]
    }

    /// `{state, at, detail}`: `verified` once the address is, else what the log last recorded; null with no
    /// address, or none recorded. `detail` is the user's wording, never a server's own text.
    private var emailDelivery: CompactJSON.Value {
        guard !user.email.isEmpty else { return .null }
        if user.emailActive {
            let at: CompactJSON.Value = latestDelivery.map { $0.state == DeliveryState.verified.rawValue ? .string(Self.timestamp($0.date)) : .null } ?? .null
            return .object([("state", .string(DeliveryState.verified.rawValue)), ("at", at), ("detail", .string(DeliveryWording.verified))])
        }
        guard let latestDelivery else { return .null }
        return .object([("state", .string(latestDelivery.state)), ("at", .string(Self.timestamp(latestDelivery.date))),
                        ("detail", .string(latestDelivery.detail))])
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
