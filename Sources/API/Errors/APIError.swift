import HTTPTypes
import Hummingbird
import PythonJSON
import Verification

/// A failure answered to the client in the seed's DRF shapes. Thrown anywhere below `APIErrorMiddleware`, it is the
/// answer.
struct APIError: Error, HTTPResponseError {
    enum Body {
        /// `{"detail": "…"}`, DRF's shape for authentication, throttling and request-level errors.
        case detail(String, extra: [(String, String)] = [])
        /// `{"field": ["…"], …}`, in field order.
        case fields([(String, [String])])
        /// `{"message": "…"}`, the seed's verification view, with a `code` telling refusals apart where one is given.
        case message(String, code: String? = nil, triesLeft: Int? = nil)
    }

    var status: HTTPResponse.Status
    var body: Body
    var headers: HTTPFields = [:]

    static func fields(_ errors: [(String, [String])]) -> APIError {
        APIError(status: .badRequest, body: .fields(errors))
    }

    static func nonField(_ message: String) -> APIError {
        .fields([("non_field_errors", [message])])
    }

    static func message(_ text: String, code: String? = nil, triesLeft: Int? = nil, status: HTTPResponse.Status = .badRequest) -> APIError {
        APIError(status: status, body: .message(text, code: code, triesLeft: triesLeft))
    }

    static func detail(_ text: String, status: HTTPResponse.Status) -> APIError {
        APIError(status: status, body: .detail(text))
    }

    /// DRF's throttling answer: 429, the wait in the text and in `Retry-After`.
    static func throttled(seconds: Int) -> APIError {
        APIError(status: .tooManyRequests, body: .detail("请求超过了限速。预计 \(seconds) 秒后可用。"),
                 headers: [.retryAfter: String(seconds)])
    }

    func response(from request: Request, context: some RequestContext) -> Response {
        body.response(status: status, headers: headers)
    }
}

extension APIError.Body: JSONBody {
    var members: [(String, CompactJSON.Value)] {
        switch self {
        case .detail(let text, let extra): [("detail", .string(text))] + extra.map { ($0.0, .string($0.1)) }
        case .fields(let fields): fields.map { ($0.0, .array($0.1.map { .string($0) })) }
        case .message(let text, let code, let triesLeft):
            [("message", .string(text))] + (code.map { [("code", .string($0))] } ?? [])
                + (triesLeft.map { [("tries_left", .integer(Int64($0)))] } ?? [])
        }
    }
}

extension HTTPField.Name {
    static let retryAfter = HTTPField.Name("Retry-After")!
    static let requestID = HTTPField.Name("X-Request-Id")!
}
