import HTTPTypes
import HummingbirdTesting
import Testing

@testable import API
@testable import App
@testable import Verification

struct EmailAddressTests {
    @Test(arguments: ["a@example.com", "first.last+tag@sub.example.co", "o'brien@example.org", "x_y-z@例子.中国",
                      "a@b-c.io", String(repeating: "a", count: 64) + "@example.com"])
    func accepted(_ address: String) {
        #expect(EmailAddress.isValid(address))
    }

    @Test(arguments: ["", "plain", "@example.com", "a@", "a@example", "a@@example.com", "a..b@example.com", ".a@example.com",
                      "a.@example.com", "a b@example.com", "\"quoted\"@example.com", "a@-example.com", "a@example-.com",
                      "a@example..com", "a@123.456", "a@example.com\r\nBcc: b@example.com", "a\n@example.com", "a@exa\tmple.com",
                      "a\u{0}@example.com", "张三@example.com", String(repeating: "a", count: 65) + "@example.com",
                      "a@" + String(repeating: "b", count: 64) + ".com", "a@" + String(repeating: "b.", count: 126) + "com"])
    func refused(_ address: String) {
        #expect(!EmailAddress.isValid(address))
    }

    @Test(arguments: [("alice@example.com", "a***@example.com"), ("a@example.com", "a***@example.com"),
                      ("first.last+tag@例子.中国", "f***@例子.中国"), ("x@y@example.com", "x***@example.com"),
                      ("@example.com", "***"), ("no-at-sign", "***"), ("", "***")])
    func maskedShowsOnlyTheFirstCharacterAndTheDomain(_ address: String, _ masked: String) {
        #expect(EmailAddress.masked(address) == masked)
    }

    @Test(arguments: [("user@例子.中国", "user@xn--fsqu00a.xn--fiqs8s"), ("victim@ｅｘａｍｐｌｅ.com", "victim@example.com"),
                      ("ｖｉｃｔｉｍ@example.com", "victim@example.com"), ("a@Bücher.example", "a@xn--bcher-kva.example"),
                      ("plain@example.com", "plain@example.com")])
    func canonicalIsNFKCWithTheDomainAsALabels(_ address: String, _ canonical: String) {
        #expect(EmailAddress.canonical(address) == canonical)
    }

    @Test func aNonASCIILocalPartIsRefusedAndNamedAsSuch() {
        #expect(EmailAddress.canonical("张三@example.com") == nil)
        #expect(EmailAddress.canonical("张三@例子.中国", unicodeLocalPart: true) == "张三@xn--fsqu00a.xn--fiqs8s", "where the relay takes it")
        #expect(EmailAddress.canonical("张 三@example.com", unicodeLocalPart: true) == nil)
        #expect(EmailAddress.hasNonASCIILocalPart("张三@example.com"))
        #expect(!EmailAddress.hasNonASCIILocalPart("ｖｉｃｔｉｍ@example.com"), "fullwidth ASCII is ASCII once normalised")
    }

    /// The address is stored, counted and sent in its one form: the fullwidth twin shares the ASCII one's allowance,
    /// and an IDN domain is mailed as A-labels.
    @Test func putEmailStoresAndCountsTheCanonicalForm() async throws {
        try await withMeiduo({ $0.verifyEmailResendInterval = 60 }) { app in
            let client = APIClient(app: app)
            let first = try await client.register(), second = try await client.register(), third = try await client.register()
            let idn = try await client.send(.put, "/email/", json: #"{"email":"user@例子.中国"}"#, token: first.token)
            #expect(idn.status == .ok && idn.body.string.contains("user@xn--fsqu00a.xn--fiqs8s"), "\(idn.body.string)")
            #expect(try await client.profile(first).email == "user@xn--fsqu00a.xn--fiqs8s")
            #expect(try await client.send(.put, "/email/", json: #"{"email":"victim@example.com"}"#, token: second.token).status == .ok)
            let twin = try await client.send(.put, "/email/", json: #"{"email":"victim@ｅｘａｍｐｌｅ.com"}"#, token: third.token)
            #expect(twin.status == .tooManyRequests, "the fullwidth twin is the same address, within its interval")
            let local = try await client.send(.put, "/email/", json: #"{"email":"张三@example.com"}"#, token: third.token)
            #expect(local.status == .badRequest && local.body.string.contains("SMTPUTF8"), "\(local.body.string)")
        }
    }
}
