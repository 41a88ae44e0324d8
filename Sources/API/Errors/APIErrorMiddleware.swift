import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import Verification

/// Turns every error into a DRF-shaped JSON body with the right status; unexpected errors are logged and answered
/// 500 without detail. A known path asked with a method it does not serve is 405 with `Allow`, as DRF answers,
/// rather than the router's 404. A database that cannot answer now is 503 with `Retry-After`; `SafeLogHandler`
/// writes identical failure lines once per interval.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let retryAfterSeconds = 5
    static let unavailable = APIError(status: .serviceUnavailable, body: .detail("服务暂时不可用，请稍后重试。"),
                                      headers: [.retryAfter: String(retryAfterSeconds)])

    /// The methods each route path answers (`Router.swift` fills it as it adds them).
    let routeMethods: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = methodNotAllowed(error, request: request) ?? Self.apiError(for: error, request: request)
            switch apiError.status {
            case .internalServerError:
                context.logger.error("request failed: \(DatabaseErrorText.describe(error))")
            case .serviceUnavailable where DatabaseErrorText.isUnavailable(error):
                context.logger.warning("database unavailable: \(DatabaseErrorText.describe(error))")
            default:
                break
            }
            return apiError.body.response(status: apiError.status, headers: apiError.headers)
        }
    }

    /// 405 with `Allow` when the router found no route only because of the method.
    private func methodNotAllowed(_ error: any Error, request: Request) -> APIError? {
        guard let refusal = error as? any HTTPResponseError, refusal.status == .notFound, !(error is APIError),
              let methods = routeMethods.methods(for: request.uri.path) else { return nil }
        return APIError(status: .methodNotAllowed, body: .detail("方法 “\(request.method.rawValue)” 不被允许。"),
                        headers: [.allow: methods.joined(separator: ", ")])
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error where DatabaseErrorText.isUnavailable(error):
            return unavailable
        case is DecodingError:
            return .detail("JSON parse error - 请求体不是合法的 JSON，或其中的值类型不对。", status: .badRequest)
        case let refusal as any HTTPResponseError where refusal.status != .internalServerError:
            return APIError(status: refusal.status, body: .detail(message(for: refusal.status, request: request)))
        default:
            return .detail("服务器内部错误。", status: .internalServerError)
        }
    }

    /// DRF's Chinese wording for the statuses the framework raises on its own.
    private static func message(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "未找到。"
        case .methodNotAllowed: "方法 “\(request.method.rawValue)” 不被允许。"
        case .unsupportedMediaType: "不支持请求中的媒体类型 “\(request.headers[.contentType] ?? "")”。请使用 application/json。"
        case .contentTooLarge: "请求体过大。"
        default: status.reasonPhrase
        }
    }
}

/// The methods each route path answers, for the 405's `Allow`: written while the router is built, read after.
final class RouteMethods: Sendable {
    private let table = NIOLockedValueBox<[String: [String]]>([:])

    func add(_ method: HTTPRequest.Method, _ path: String) {
        table.withLockedValue { $0[Self.normalized(path), default: []].append(method.rawValue) }
    }

    func methods(for path: String) -> [String]? {
        table.withLockedValue { $0[Self.normalized(path)] }
    }

    private static func normalized(_ path: String) -> String {
        path.split(separator: "/").joined(separator: "/")
    }
}
