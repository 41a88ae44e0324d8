import Foundation

/// Finds a member name given twice in a JSON object body's top level. Foundation's decoder keeps one of the two
/// silently, and Django keeps the other: the two systems would read one body differently, so such a body is refused.
enum DuplicateKeys {
    /// The first top-level key that appears twice (compared unescaped), or nil. Assumes the body parsed as JSON.
    static func first(in body: some Collection<UInt8>) -> String? {
        let bytes = Array(body)
        var seen = Set<String>()
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if expectingKey {
                    expectingKey = false
                    let literal = Data(bytes[start...min(index, bytes.count - 1)])
                    let key = (try? JSONDecoder().decode(String.self, from: literal)) ?? String(decoding: literal, as: UTF8.self)
                    if !seen.insert(key).inserted { return key }
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
