import Foundation
import Hummingbird
import Verification

/// A JSON object body read the way DRF's serializers read it, so a missing, null or mistyped field becomes a
/// field error (`{"field": ["…"]}`) rather than a parse error.
struct FormFields: Decodable {
    enum Field {
        case text(String)
        case null
        case wrongType
    }

    private var fields: [String: Field]

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else {
            throw APIError.nonField("无效数据。期待为字典类型。")
        }
        var fields: [String: Field] = [:]
        for key in container.allKeys {
            if try container.decodeNil(forKey: key) {
                fields[key.stringValue] = .null
            } else if let text = try? container.decode(String.self, forKey: key) {
                fields[key.stringValue] = .text(text)
            } else if let number = try? container.decode(Int64.self, forKey: key) {
                fields[key.stringValue] = .text(String(number))
            } else {
                fields[key.stringValue] = .wrongType
            }
        }
        self.fields = fields
    }

    /// An absent body reads as `{}` (every field missing); a body that is not JSON is a 415, as DRF answers; one
    /// over the context's limit is a 413.
    static func decode(from request: Request, context: APIRequestContext) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard body.readableBytes > 0 else { return FormFields(fields: [:]) }
        guard isJSON(request.headers[.contentType]) else { throw HTTPError(.unsupportedMediaType) }
        let fields = try JSONDecoder().decode(FormFields.self, from: Data(body.readableBytesView))
        if let key = DuplicateKeys.first(in: body.readableBytesView) {
            throw APIError.detail("JSON parse error - 键“\(key.prefix(100))”出现了不止一次。", status: .badRequest)
        }
        return fields
    }

    /// `application/json`, with any parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private init(fields: [String: Field]) {
        self.fields = fields
    }

    /// The text of a field that DRF's `CharField` would accept, or nil with an error recorded against it.
    /// Whitespace is trimmed unless `trim` is false (passwords keep theirs).
    func text(_ name: String, required: Bool = true, trim: Bool = true, into errors: inout FieldErrors) -> String? {
        switch fields[name] {
        case nil:
            if required { errors.add(name, "该字段是必填项。") }
            return required ? nil : ""
        case .null:
            errors.add(name, "该字段不能为 null。")
        case .wrongType:
            errors.add(name, "不是有效的字符串。")
        case .text(let raw):
            let text = trim ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
            if text.isEmpty && required { errors.add(name, "该字段不能为空。") } else { return text }
        }
        return nil
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Field errors in the order the fields were checked, as DRF reports them.
struct FieldErrors {
    private(set) var entries: [(String, [String])] = []

    mutating func add(_ field: String, _ message: String) {
        if let index = entries.firstIndex(where: { $0.0 == field }) {
            entries[index].1.append(message)
        } else {
            entries.append((field, [message]))
        }
    }

    func throwIfAny() throws {
        if !entries.isEmpty { throw APIError.fields(entries) }
    }
}
