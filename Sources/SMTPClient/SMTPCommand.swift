import Foundation

/// What the client says. `line` is sent; `loggable` is what a log or transcript may show (no credentials).
public enum SMTPCommand: Sendable, Equatable {
    case ehlo(String)
    case helo(String)
    case startTLS
    case authPlain(user: String, password: String)
    case authLogin
    case authLoginUser(String)
    case authLoginPassword(String)
    /// `smtpUTF8`: an address is not ASCII (RFC 6531), said only to a server that offers SMTPUTF8.
    case mailFrom(String, size: Int?, smtpUTF8: Bool = false)
    case rcptTo(String)
    case data
    case rset
    case quit

    public var line: String {
        switch self {
        case .ehlo(let name): "EHLO \(name)"
        case .helo(let name): "HELO \(name)"
        case .startTLS: "STARTTLS"
        case .authPlain(let user, let password): "AUTH PLAIN " + Data(Array("\0\(user)\0\(password)".utf8)).base64EncodedString()
        case .authLogin: "AUTH LOGIN"
        case .authLoginUser(let user): Data(user.utf8).base64EncodedString()
        case .authLoginPassword(let password): Data(password.utf8).base64EncodedString()
        case .mailFrom(let address, let size, let smtpUTF8):
            "MAIL FROM:<\(address)>" + (size.map { " SIZE=\($0)" } ?? "") + (smtpUTF8 ? " SMTPUTF8" : "")
        case .rcptTo(let address): "RCPT TO:<\(address)>"
        case .data: "DATA"
        case .rset: "RSET"
        case .quit: "QUIT"
        }
    }

    public var loggable: String {
        switch self {
        case .authPlain: "AUTH PLAIN ***"
        case .authLoginUser: "*** (user name)"
        case .authLoginPassword: "*** (password)"
        default: line
        }
    }

    /// The step named in errors: `RCPT TO`, `AUTH`, ….
    public var step: String {
        switch self {
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .startTLS: "STARTTLS"
        case .authPlain, .authLogin, .authLoginUser, .authLoginPassword: "AUTH"
        case .mailFrom: "MAIL FROM"
        case .rcptTo: "RCPT TO"
        case .data: "DATA"
        case .rset: "RSET"
        case .quit: "QUIT"
        }
    }
}

/// The DATA payload: the message with CRLF line ends, every line that starts with "." doubled (RFC 5321
/// §4.5.2), ending in CRLF "." CRLF. Refuses lines over 998 octets, which servers may cut.
public enum SMTPData {
    public static let maximumLineLength = 998

    public static func encode(_ message: [UInt8]) throws(SMTPError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 50 + 5)
        var lineStart = true
        var lineLength = 0
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                out += [13, 10]
                if byte == UInt8(ascii: "\r"), index + 1 < message.count, message[index + 1] == UInt8(ascii: "\n") { index += 1 }
                lineStart = true
                lineLength = 0
            } else {
                if lineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
                out.append(byte)
                lineStart = false
                lineLength += 1
                if lineLength > maximumLineLength {
                    throw SMTPError(step: "DATA", message: "the message has a line over \(maximumLineLength) octets", isTransient: false)
                }
            }
            index += 1
        }
        if !lineStart { out += [13, 10] }
        out += Array(".\r\n".utf8)
        return out
    }
}
