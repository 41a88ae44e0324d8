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
}
