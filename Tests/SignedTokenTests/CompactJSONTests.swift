import PythonJSON
import Testing

@testable import SignedToken

struct CompactJSONTests {
    @Test func escapesAsPythonJSONDumpsWithEnsureASCIIOff() {
        // Expected text is what `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` prints.
        #expect(CompactJSON.object(["email": .string("a\"b\\c/d\n\u{01}\u{7F}é美")]) == #"{"email":"a\"b\\c/d\n\u0001"# + "\u{7F}é美\"}")
        #expect(CompactJSON.object(["user_id": .integer(-3), "email": .string("")]) == #"{"user_id":-3,"email":""}"#)
    }

    @Test func base64URLRoundTripsAndRefusesOtherSpellings() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x10]
        #expect(Base64URL.encode(bytes) == "-_8AEA")
        #expect(Base64URL.decode("-_8AEA") == bytes)
        #expect(Base64URL.decode("+/8AEA") == nil)
        #expect(Base64URL.decode("-_8AEA==") == nil)
        #expect(Base64URL.decode("-_8AEB") == nil)
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("") == [])
    }
}
