import SignedToken

/// Why a verification link cannot verify, decided from the token check and the account as read — no storage, no
/// clock of its own. The page asks on load (`GET /emails/verification/status/`, which changes nothing) and its
/// button confirms (`POST /emails/verification/`); both answer these refusals alike.
package enum LinkVerification: Equatable {
    case expired
    case invalid
    /// The account has since replaced the address the link was mailed to.
    case addressChanged

    package static let expiredMessage = "验证链接已过期：请在用户中心重新设置邮箱，以获得新的验证邮件。"
    package static let addressChangedMessage = "该邮箱已不是此账户的邮箱：请打开最新一封验证邮件中的链接。"

    /// A token the serializer refused: expired, or invalid for any other reason.
    package static func decide(token error: TokenError) -> LinkVerification {
        error == .expired ? .expired : .invalid
    }
}
