import Hummingbird

/// A console form's fields (`application/x-www-form-urlencoded`), each once; a body that is not such a form reads
/// as no fields.
struct ConsoleForm: Sendable {
    let fields: [String: String]

    static func read(_ request: inout Request, context: ConsoleRequestContext) async throws -> ConsoleForm {
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let text = String(buffer: body)
        let fields = (try? URLEncodedFormDecoder().decode([String: String].self, from: text)) ?? [:]
        return ConsoleForm(fields: fields)
    }

    subscript(_ name: String) -> String? { fields[name] }
}
