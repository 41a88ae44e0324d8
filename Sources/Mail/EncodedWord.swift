import Foundation

/// RFC 2047 "B" encoded words, as Python's email package writes them (`=?utf-8?b?…?=`).
enum EncodedWord {
    /// 42 bytes make a 68-character word (`=?utf-8?b?` + 56 base64 characters + `?=`), so even the first line,
    /// `Subject: ` + word, stays within the 78 characters RFC 5322 recommends (an encoded word may have 75).
    static let maximumBytesPerWord = 42

    /// Encodes `text` into one or more words, never splitting a UTF-8 character between two words.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maximumBytesPerWord {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?utf-8?b?" + Data(bytes).base64EncodedString() + "?="
    }

    /// An unstructured header value (Subject): as it is when plain printable ASCII that cannot be mistaken for
    /// an encoded word, otherwise encoded words folded onto continuation lines.
    static func unstructured(_ text: String) -> String {
        if isPlainASCII(text) && !text.contains("=?") && text.utf8.count <= 900 { return text }
        return words(text).joined(separator: "\r\n ")
    }

    /// A display name: plain when it is only letters, digits and spaces; quoted when it is other ASCII;
    /// encoded words when it has non-ASCII characters.
    static func phrase(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " ") }) { return text }
        if isPlainASCII(text) && text.utf8.count <= 900 {
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return words(text).joined(separator: "\r\n ")
    }

    private static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }
}
