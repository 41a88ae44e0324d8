import Foundation
import Testing
import TestSupport

@testable import API
@testable import App
@testable import Verification

struct QueryStringTests {
    @Test(arguments: [
        ("token=abc.def_-", "abc.def_-"), ("a=1&token=x%2By+z", "x+y z"), ("token=", ""), ("token", ""),
        ("token=first&token=last", "last"), ("t%6Fken=encoded-name", "encoded-name"), ("x=1&&token=a=b", "a=b"),
        ("token=%E7%BE%8E%e5%a4%9a", "美多"), ("token=%E4%ZZ", "\u{FFFD}%ZZ"), ("token=%4", "%4"), ("token=%", "%"),
    ])
    func findsTheValue(_ query: String, _ value: String) {
        #expect(QueryString.value(of: "token", in: query) == value)
    }

    @Test(arguments: [nil, "", "tokens=1", "other=token"])
    func nilWhenAbsent(_ query: String?) {
        #expect(QueryString.value(of: "token", in: query) == nil)
    }

    /// The decoder against Python's `unquote_plus`, which Django's `QueryDict` applies, on random mixes of the
    /// tricky pieces: broken escapes, bytes that are not UTF-8, multi-byte characters.
    @Test func decodesAsDjangoDoes() throws {
        let python = try #require(ReferencePython.executable, "\(ReferencePython.unavailable)")
        let pieces = ["%", "2B", "e4", "B8", "AD", "zz", "+", "a", "é", "%C3", "%A9", "%ff", "%00", "%E7%BE", "%8E", "0", "美"]
        var random = SeededRandom(seed: 20261125)
        let inputs = (0..<5_000).map { _ in
            (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        let script = "import json, sys, urllib.parse; print(json.dumps([urllib.parse.unquote_plus(s) for s in json.loads(sys.argv[1])]))"
        let output = try Subprocess.run(python, ["-c", script, String(decoding: try JSONEncoder().encode(inputs), as: UTF8.self)])
        try #require(output.status == 0)
        let expected = try JSONDecoder().decode([String].self, from: Data(output.stdout.utf8))
        try #require(expected.count == inputs.count)
        for (input, want) in zip(inputs, expected) {
            #expect(QueryString.decode(input[...]) == want, "\(input)")
        }
    }
}
