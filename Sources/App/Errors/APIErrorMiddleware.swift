import Vapor
import Verification

/// Turns every error into a DRF-shaped JSON body with the right status; unexpected errors are logged and
/// answered 500 without detail. Replaces Vapor's default `ErrorMiddleware`. A known path asked with a method it
/// does not serve is 405 with `Allow`, as DRF answers, rather than the router's 404.
/// A database that cannot answer now is 503 with `Retry-After`; `SafeLogHandler` writes identical failure lines
/// once per interval.
struct APIErrorMiddleware: AsyncMiddleware {
    static let retryAfterSeconds = 5
    static let unavailable = APIError(status: .serviceUnavailable, body: .detail("服务暂时不可用，请稍后重试。"),
                                      headers: ["Retry-After": String(retryAfterSeconds)])

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.methodNotAllowed(error, request: request) ?? Self.apiError(for: error, request: request)
            switch apiError.status {
            case .internalServerError:
                request.logger.error("request failed: \(DatabaseErrorText.describe(error))")
            case .serviceUnavailable where DatabaseErrorText.isUnavailable(error):
                request.logger.warning("database unavailable: \(DatabaseErrorText.describe(error))")
            default:
                break
            }
            return apiError.body.response(status: apiError.status, headers: apiError.headers)
        }
    }

    /// 405 with `Allow` when Vapor's router found no route only because of the method.
    static func methodNotAllowed(_ error: any Error, request: Request) -> APIError? {
        guard let abort = error as? any AbortError, abort.status == .notFound else { return nil }
        let path = request.url.path.split(separator: "/").joined(separator: "/")
        let methods = request.application.routes.all
            .filter { $0.path.map(\.description).joined(separator: "/") == path }.map(\.method)
        guard !methods.isEmpty else { return nil }
        let allow = methods.map(\.rawValue).joined(separator: ", ")
        return APIError(status: .methodNotAllowed, body: .detail(message(for: Abort(.methodNotAllowed), request: request)),
                        headers: ["Allow": allow])
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error where DatabaseErrorText.isUnavailable(error):
            return unavailable
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
