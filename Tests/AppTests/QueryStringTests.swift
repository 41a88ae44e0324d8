import Testing

@testable import App

struct QueryStringTests {
    @Test(arguments: [
        ("token=abc.def_-", "abc.def_-"), ("a=1&token=x%2By+z", "x+y z"), ("token=", ""), ("token", ""),
        ("token=first&token=last", "last"), ("t%6Fken=encoded-name", "encoded-name"), ("x=1&&token=a=b", "a=b"),
    ])
    func findsTheValue(_ query: String, _ value: String) {
        #expect(QueryString.value(of: "token", in: query) == value)
    }

    @Test(arguments: [nil, "", "tokens=1", "other=token", "token=%E4%ZZ"])
    func nilWhenAbsentOrBadlyEncoded(_ query: String?) {
        #expect(QueryString.value(of: "token", in: query) == nil)
    }
}
