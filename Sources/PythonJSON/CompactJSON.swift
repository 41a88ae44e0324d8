/// Writes JSON byte for byte as Python's `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`:
/// what itsdangerous signs, and what Django REST framework's renderer sends.
public enum CompactJSON {
    public indirect enum Value: Sendable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case array([Value])
        case null
        /// Members keep the given order (Python dicts keep insertion order).
        case object([(String, Value)])
    }

    public static func object(_ members: KeyValuePairs<String, Value>) -> String {
        value(.object(members.map { ($0.key, $0.value) }))
    }

    public static func value(_ value: Value) -> String {
        switch value {
        case .string(let text):
            string(text)
        case .integer(let number):
            String(number)
        case .bool(let flag):
            flag ? "true" : "false"
        case .null:
            "null"
        case .array(let items):
            "[" + items.map(Self.value).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { string($0.0) + ":" + Self.value($0.1) }.joined(separator: ",") + "}"
        }
    }

    /// Python's `encode_basestring`: escapes `"`, `\` and C0 controls; everything else stays raw UTF-8.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
