/// Why a message cannot be built.
public enum MessageError: Error, Equatable, CustomStringConvertible {
    /// A CR, LF or other control character in a header value or address: refused, as it could inject headers.
    case controlCharacter(field: String)
    case invalidAddress(field: String)
    case noRecipients
    case noBody

    public var description: String {
        switch self {
        case .controlCharacter(let field): "the \(field) contains a line break or control character"
        case .invalidAddress(let field): "the \(field) is not an address of the form local@domain"
        case .noRecipients: "the message has no recipients"
        case .noBody: "the message has neither a text nor an HTML body"
        }
    }
}

extension String {
    /// True for CR, LF, the other C0 controls, DEL and the Unicode line separators: what must never reach a mail
    /// header. A tab is allowed only where `allowTab` says.
    public func containsControlCharacter(allowTab: Bool = false) -> Bool {
        unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && !(allowTab && scalar == "\t")) || scalar.value == 0x7F
                || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
        }
    }
}
