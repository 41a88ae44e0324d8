import Foundation

/// Address syntax as Django's `EmailValidator` accepts it, narrowed for safe delivery: an ASCII dot-atom local
/// part (no quoted strings) of at most 64 octets, a domain of letter-digit-hyphen labels (non-ASCII letters allowed,
/// as in internationalised domain names) with a non-numeric last label, at most 254 octets in all, and no control
/// characters anywhere, so an address can never inject a mail header.
package enum EmailAddress {
    package static let maximumLength = 254
    package static let maximumLocalPartLength = 64
    private static let atomSpecials = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// The one form an address is stored, counted, throttled and sent in: NFKC-normalised (a fullwidth
    /// `ｅｘａｍｐｌｅ.com` is `example.com`), its domain as A-labels (IDNA: `例子.中国` is `xn--fsqu00a.xn--fiqs8s`, which
    /// a relay without SMTPUTF8 takes). Nil when it is not a valid address even so.
    /// `unicodeLocalPart`: a local part beyond ASCII is allowed (the relay offers SMTPUTF8).
    package static func canonical(_ address: String, unicodeLocalPart: Bool = false) -> String? {
        let normalized = address.precomposedStringWithCompatibilityMapping
        guard isValid(normalized, unicodeLocalPart: unicodeLocalPart), let at = normalized.lastIndex(of: "@") else { return nil }
        let domain = String(normalized[normalized.index(after: at)...])
        guard !domain.allSatisfy(\.isASCII) else { return normalized }
        var components = URLComponents()
        components.host = domain
        guard let encoded = components.encodedHost, encoded.allSatisfy(\.isASCII) else { return nil }
        let canonical = normalized[...at] + encoded
        return isValid(String(canonical), unicodeLocalPart: unicodeLocalPart) ? String(canonical) : nil
    }

    /// Whether the part before the `@` is not ASCII even once normalised: such an address needs SMTPUTF8, which the
    /// mail this service sends does not use.
    package static func hasNonASCIILocalPart(_ address: String) -> Bool {
        let normalized = address.precomposedStringWithCompatibilityMapping
        guard let at = normalized.lastIndex(of: "@") else { return false }
        return !normalized[..<at].allSatisfy(\.isASCII)
    }

    package static func isValid(_ address: String, unicodeLocalPart: Bool = false) -> Bool {
        guard address.utf8.count <= maximumLength,
              !address.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              let at = address.lastIndex(of: "@")
        else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        return isDotAtom(local, unicode: unicodeLocalPart) && isDomain(domain)
    }

    /// The address as a notice may show it to someone who may not own it: the local part's first character,
    /// `***`, and the domain (`alice@example.com` → `a***@example.com`).
    package static func masked(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let first = address.first, at != address.startIndex else { return "***" }
        return String(first) + "***" + address[at...]
    }

    /// RFC 5322's dot-atom; with `unicode`, RFC 6531's, whose atoms may hold letters and digits beyond ASCII.
    private static func isDotAtom(_ local: Substring, unicode: Bool) -> Bool {
        guard !local.isEmpty, local.utf8.count <= maximumLocalPartLength else { return false }
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    ? scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || atomSpecials.contains(scalar)
                    : unicode && (scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal)
            }
        }
    }

    private static func isDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let last = labels.last, !last.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType == .decimal || $0 == "-" }
        }
    }
}
