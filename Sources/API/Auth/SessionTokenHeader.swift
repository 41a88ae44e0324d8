import Foundation
import SignedToken
import Verification

/// What a session JWT must look like before its signature is checked: three canonical unpadded base64url parts,
/// and a header that names exactly HS256 and no `crit` extension. The JWT library checks the signature with the
/// key it holds, but took a token whose header said `none`, `HS512`, `RS256` or nothing at all, an unknown `crit`,
/// or a padded signature, as long as the HS256 signature was right; such a token is refused here.
enum SessionTokenHeader {
    static func isAcceptable(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }),
              let header = Base64URL.decode(parts[0]),
              parts.dropFirst().allSatisfy({ Base64URL.decode($0) != nil }),
              let fields = (try? JSONSerialization.jsonObject(with: Data(header))) as? [String: Any]
        else { return false }
        // A `crit` of any type counts.
        return fields["alg"] as? String == "HS256" && fields["crit"] == nil
    }
}
