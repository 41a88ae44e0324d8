import Verification

extension LinkVerification {
    /// The 400, in the seed's `{"message": …}` shape plus a `code`.
    var refusal: APIError {
        switch self {
        case .expired: .message(Self.expiredMessage, code: "expired")
        case .invalid: .message(EmailController.invalidToken, code: "invalid")
        case .addressChanged: .message(Self.addressChangedMessage, code: "address_changed")
        }
    }
}

extension CodeAttempt {
    static let expiredRefusal = APIError.message(expiredMessage, code: "expired")
    static let tooManyTriesRefusal = APIError.message(tooManyTriesMessage, code: "too_many_tries")
    static let malformedRefusal = APIError.message(malformedMessage, code: "malformed_code")

    static func wrongCode(triesLeft: Int) -> APIError {
        .message("验证码错误，还可尝试 \(triesLeft) 次。", code: "wrong_code", triesLeft: triesLeft)
    }
}
