import HTTPTypes
import Hummingbird
import Verification

/// Requires `Authorization: JWT <token>` (as the seed's djangorestframework-jwt) or `Bearer <token>`, and puts the
/// verified `SessionToken` in the request's context. It reads of the account only when its sessions were last ended
/// (`SessionCutoff`: a token from before an undo is refused); each handler reads what else it needs and answers
/// `userNotFound` when the account is gone. The 401 bodies are the seed's.
struct SessionAuthenticator: RouterMiddleware {
    typealias Context = APIRequestContext

    let keys: SessionKeys
    let cutoff: SessionCutoff
    let database: RequestDatabase

    static let schemes: Set<String> = ["jwt", "bearer"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.session = try await session(of: request, context: context)
        return try await next(request, context)
    }

    /// The request's verified session, or the 401 that says why there is none.
    func session(of request: Request, context: Context) async throws -> SessionToken {
        guard let token = Self.credential(in: request.headers) else {
            throw Self.unauthorized(.detail("身份认证信息未提供。"))
        }
        guard SessionTokenHeader.isAcceptable(token) else {
            context.logger.debug("session token refused", metadata: ["reason": "not an unpadded HS256 JWT"])
            throw Self.invalidToken
        }
        let session: SessionToken
        do { session = try await keys.verify(token) } catch {
            context.logger.debug("session token refused", metadata: ["reason": "\(type(of: error))"])
            throw Self.invalidToken
        }
        guard try await cutoff.isCurrent(session, on: database(context)) else {
            context.logger.info("session token refused", metadata: ["reason": "issued before the account's sessions were ended", "user_id": "\(session.userID)"])
            throw Self.invalidToken
        }
        return session
    }

    static func credential(in headers: HTTPFields) -> String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, schemes.contains(parts[0].lowercased()) else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static let userNotFound = unauthorized(.detail("找不到该用户。", extra: [("code", "user_not_found")]))

    static let invalidToken = unauthorized(.detail("Given token not valid for any token type", extra: [("code", "token_not_valid")]))

    static func unauthorized(_ body: APIError.Body) -> APIError {
        APIError(status: .unauthorized, body: body, headers: [.wwwAuthenticate: #"JWT realm="api""#])
    }
}
