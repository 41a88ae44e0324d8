/// Reads one parameter from a URL query. Vapor's `request.query` decodes the whole query through Codable, and
/// Foundation's percent-decoding goes through NSString; each cost more than the token check under load.
enum QueryString {
    /// The value of `name`, decoded as Django's `QueryDict` decodes it; the last one when the name repeats, as
    /// `QueryDict.get` answers. Nil only when absent.
    static func value(of name: String, in query: String?) -> String? {
        guard let query else { return nil }
        var found: Substring?
        // Split on bytes: `&` and `=` are ASCII, and splitting a token-long query by Characters cost more than
        // checking the token's signature.
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            if decode(Substring(pair[..<(equals ?? pair.endIndex)])) == name {
                found = equals.map { Substring(pair[pair.index(after: $0)...]) } ?? ""
            }
        }
        return found.map(decode)
    }

    /// Python's `urllib.parse.unquote_plus`: `+` is a space, `%XX` a byte, a `%` without two hex digits stays as
    /// it is, and bytes that are not UTF-8 become U+FFFD.
    static func decode(_ text: Substring) -> String {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
