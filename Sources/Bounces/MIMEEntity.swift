import Foundation

/// Just enough MIME (RFC 2045/2046) to find a delivery report in a bounce: unfolded headers, `Content-Type` with
/// its parameters, the parts of a multipart body, and a base64 body decoded. Lenient: what it cannot read it leaves
/// out, and it never traps on malformed input.
struct MIMEEntity {
    /// Lowercased names, unfolded values, in order.
    var headers: [(name: String, value: String)]
    var body: Substring

    /// Expects LF line ends (see `normalized`).
    init(_ text: Substring) {
        var headers: [(name: String, value: String)] = []
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let line = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                if !headers.isEmpty { headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.headers = headers
        self.body = rest
    }

    static func normalized(_ raw: [UInt8]) -> String {
        String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// `multipart/report` and its parameters (names lowercased, quotes removed); `text/plain` when absent.
    var contentType: (type: String, parameters: [String: String]) {
        guard let value = header("content-type") else { return ("text/plain", [:]) }
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle(); continue }
            if character == ";" && !quoted { fields.append(current); current = ""; continue }
            current.append(character)
        }
        fields.append(current)
        var parameters: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            parameters[field[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] =
                field[field.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return (fields[0].trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }

    /// The parts of a multipart body; empty for anything else.
    var parts: [MIMEEntity] {
        let type = contentType
        guard type.type.hasPrefix("multipart/"), let boundary = type.parameters["boundary"], !boundary.isEmpty else { return [] }
        let delimiter = "--" + boundary
        var parts: [MIMEEntity] = []
        var partStart: Substring.Index?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: "\n") ?? body.endIndex
            let line = body[lineStart..<lineEnd]
            if line.hasPrefix(delimiter) {
                let trailer = line.dropFirst(delimiter.count).trimmingCharacters(in: .whitespaces)
                if trailer.isEmpty || trailer == "--" {
                    // The line break before a delimiter belongs to the delimiter.
                    if let start = partStart {
                        let end = lineStart > start ? body.index(before: lineStart) : lineStart
                        parts.append(MIMEEntity(body[start..<max(start, end)]))
                    }
                    if trailer == "--" { return parts }
                    partStart = lineEnd < body.endIndex ? body.index(after: lineEnd) : lineEnd
                }
            }
            lineStart = lineEnd < body.endIndex ? body.index(after: lineEnd) : lineEnd
        }
        if let start = partStart, start < body.endIndex { parts.append(MIMEEntity(body[start...])) }
        return parts
    }

    /// The body, decoded when its transfer encoding is base64.
    var decodedBody: String {
        guard header("content-transfer-encoding")?.lowercased() == "base64" else { return String(body) }
        let compact = body.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(compact)) else { return String(body) }
        return Self.normalized(Array(data))
    }
}
