import HTTPTypes
import Hummingbird
import PythonJSON
import Verification

/// A response body rendered as Django REST framework renders it: compact JSON, members in the serializer's order,
/// non-ASCII as UTF-8. `CompactJSON` writes exactly those bytes.
protocol JSONBody: ResponseGenerator {
    var members: [(String, CompactJSON.Value)] { get }
}

extension JSONBody {
    func response(from request: Request, context: some RequestContext) -> Response {
        response(status: .ok)
    }

    func response(status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        JSONAnswer(status, members, headers: headers).response
    }
}
