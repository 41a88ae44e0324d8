import PythonJSON
import Vapor
import Verification

/// A response body rendered as Django REST framework renders it: compact JSON, members in the serializer's order,
/// non-ASCII as UTF-8. `CompactJSON` writes exactly those bytes.
protocol JSONBody: AsyncResponseEncodable {
    var members: [(String, CompactJSON.Value)] { get }
}

extension JSONBody {
    func encodeResponse(for request: Request) async throws -> Response {
        response(status: .ok)
    }

    func response(status: HTTPResponseStatus, headers: HTTPHeaders = [:]) -> Response {
        var headers = headers
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(string: CompactJSON.value(.object(members))))
    }
}
