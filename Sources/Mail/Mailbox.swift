import Foundation

/// An address with an optional display name, as in `美多商城<noreply@example.com>`.
public struct Mailbox: Sendable, Equatable, CustomStringConvertible {
    public var displayName: String?
    public var address: String

    /// Refuses control characters anywhere and anything but one `local@domain` without spaces or angle brackets.
    public init(_ address: String, displayName: String? = nil, field: String = "address") throws(MessageError) {
        if address.containsControlCharacter() || (displayName?.containsControlCharacter() ?? false) {
            throw .controlCharacter(field: field)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\"" })
        else { throw .invalidAddress(field: field) }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses `Name <local@domain>`, `Name<local@domain>` or a bare `local@domain` (the form of Django's EMAIL_FROM).
    public init(parsing text: String, field: String = "address") throws(MessageError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            try self.init(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]), displayName: name, field: field)
        } else {
            try self.init(trimmed, field: field)
        }
    }

    public var domain: Substring { address[address.index(after: address.lastIndex(of: "@")!)...] }

    /// The header form: the display name as an RFC 2047 encoded word when it is not plain ASCII, quoted when it
    /// has specials; then the address in angle brackets.
    public var headerValue: String {
        guard let displayName else { return address }
        return EncodedWord.phrase(displayName) + " <" + address + ">"
    }

    public var description: String { headerValue }
}
