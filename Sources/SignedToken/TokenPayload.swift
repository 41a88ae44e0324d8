import PythonJSON

/// A value that travels inside a token: written as itsdangerous's compact JSON, read back with `Decodable`.
public protocol TokenPayload: Decodable, Sendable {
    /// The members in the order the Python side would have inserted them.
    var compactJSONMembers: KeyValuePairs<String, CompactJSON.Value> { get }
}
