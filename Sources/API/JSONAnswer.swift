import HTTPTypes
import Hummingbird
import PythonJSON

/// An answer whose body is written as Django REST framework writes it: compact JSON, members in order, non-ASCII
/// as UTF-8 (`CompactJSON`). Thrown, it is the answer too.
package struct JSONAnswer: HTTPResponseError, ResponseGenerator {
    package var status: HTTPResponse.Status
    package var members: [(String, CompactJSON.Value)]
    package var headers: HTTPFields

    package init(_ status: HTTPResponse.Status, _ members: [(String, CompactJSON.Value)], headers: HTTPFields = [:]) {
        self.status = status
        self.members = members
        self.headers = headers
    }

    /// `{"detail": …}`, DRF's shape for authentication and request-level errors.
    package static func detail(_ text: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> JSONAnswer {
        JSONAnswer(status, [("detail", .string(text))], headers: headers)
    }

    package func response(from request: Request, context: some RequestContext) -> Response {
        response
    }

    package var response: Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: CompactJSON.value(.object(members)))))
    }
}
