import PythonJSON
import Verification

struct EmailChangeRequest {
    static let invalidMessage = "请输入合法的邮件地址。"
    static let nonASCIILocalPartMessage = "邮箱地址 @ 之前的部分只能使用英文字母、数字及 . _ - + 等符号：这样的地址需要 SMTPUTF8，本站的发信服务器不支持。"

    var email: String
    /// The `language` field, when given.
    var language: MailLanguage?
    /// The account's password, when given (needed for a while after an undo).
    var password: String?

    /// `unicodeLocalPart`: the relay offers SMTPUTF8, so a local part beyond ASCII can be mailed.
    init(form: FormFields, unicodeLocalPart: Bool = false) throws {
        var errors = FieldErrors()
        let given = form.text("email", into: &errors)
        let password = form.text("password", required: false, trim: false, into: &errors)
        let email = given.flatMap { EmailAddress.canonical($0, unicodeLocalPart: unicodeLocalPart) }
        if let given, email == nil {
            errors.add("email", EmailAddress.hasNonASCIILocalPart(given) ? Self.nonASCIILocalPartMessage : Self.invalidMessage)
        }
        let language = form.text("language", required: false, into: &errors)
        if let language, !language.isEmpty, MailLanguage(tag: language) == nil {
            errors.add("language", "不支持的语言：可选 zh-CN 或 en。")
        }
        try errors.throwIfAny()
        self.email = email!
        self.language = language.flatMap(MailLanguage.init(tag:))
        self.password = password.flatMap { $0.isEmpty ? nil : $0 }
    }
}

struct EmailChangeResponse: JSONBody {
    var id: Int64
    var email: String

    var members: [(String, CompactJSON.Value)] { [("id", .integer(id)), ("email", .string(email))] }
}

struct MessageResponse: JSONBody {
    var message: String

    var members: [(String, CompactJSON.Value)] { [("message", .string(message))] }
}

/// `GET /emails/verification/status/`: the link's address and `pending` or `verified`.
struct LinkStatusResponse: JSONBody {
    var email: String
    var state: String

    var members: [(String, CompactJSON.Value)] { [("email", .string(email)), ("state", .string(state))] }
}

/// `POST /emails/verification/`: `verified`, or `already_verified` for a second confirmation.
struct ConfirmationResponse: JSONBody {
    var state: String

    var members: [(String, CompactJSON.Value)] { [("message", .string("OK")), ("state", .string(state))] }
}

/// `GET /emails/revert/status/`.
struct RevertStatusResponse: JSONBody {
    var oldEmail: String
    var maskedNewEmail: String
    var state: String

    var members: [(String, CompactJSON.Value)] {
        [("old_email", .string(oldEmail)), ("new_email", .string(maskedNewEmail)), ("state", .string(state))]
    }
}
