import Vapor

/// Turns every error into a DRF-shaped JSON body with the right status; unexpected errors are logged and
/// answered 500 without detail. Replaces Vapor's default `ErrorMiddleware`.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            if apiError.status == .internalServerError {
                request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            return apiError.body.response(status: apiError.status, headers: apiError.headers)
        }
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case is DecodingError:
            return .detail("JSON parse error - 请求体不是合法的 JSON，或其中的值类型不对。", status: .badRequest)
        case let abort as any AbortError:
            return APIError(status: abort.status, body: .detail(message(for: abort, request: request)), headers: abort.headers)
        default:
            return .detail("服务器内部错误。", status: .internalServerError)
        }
    }

    /// DRF's Chinese wording for the statuses Vapor raises on its own.
    private static func message(for abort: any AbortError, request: Request) -> String {
        switch abort.status {
        case .notFound: "未找到。"
        case .methodNotAllowed: "方法 “\(request.method.rawValue)” 不被允许。"
        case .unsupportedMediaType: "不支持请求中的媒体类型 “\(request.headers.contentType?.description ?? "")”。请使用 application/json。"
        case .payloadTooLarge: "请求体过大。"
        case .badRequest where abort.reason.lowercased().contains("json") || abort.reason.contains("decod"):
            "JSON parse error - 请求体不是合法的 JSON。"
        default: abort.status.reasonPhrase
        }
    }
}
