import Query
import Testing

@Suite("Wildcard patterns")
struct WildcardPatternTests {
    static let matchCases: [(glob: String, value: String, matches: Bool)] = [
        ("foo*bar", "foobar", true),
        ("foo*bar", "foobazbar", true),
        ("foo*bar", "foo\nbar", true),
        ("foo*bar", "fooqux", false),
        ("foo*bar", "bazbar", false),
        ("foo*bar", "foobarx", false),
        ("*", "", true),
        ("*", "anything", true),
        ("a*", "a", true),
        ("*a", "ba", true),
        ("*a*", "xyz", false),
        ("a*b*c", "abc", true),
        ("a*b*c", "acb", false),
        ("ab*ba", "aba", false),  // prefix and suffix must not overlap
        ("a**b", "ab", true),
        ("é*😀", "éx😀", true),
        ("e*", "é", false),
        ("FOO*", "foo", false),
        ("abc", "abc", true),
        ("abc", "abcd", false),
    ]

    @Test("matching", arguments: matchCases)
    func matching(_ c: (glob: String, value: String, matches: Bool)) {
        #expect(WildcardPattern(glob: c.glob).matches(c.value) == c.matches)
        let matcher = WildcardMatcher(WildcardPattern(glob: c.glob))
        var bytes = Array(c.value.utf8)
        #expect(bytes.withUnsafeMutableBufferPointer { matcher.matches(utf8: UnsafeBufferPointer($0)) } == c.matches)
    }

    @Test("case-insensitive matching")
    func caseInsensitive() {
        let pattern = WildcardPattern(glob: "Win*")
        #expect(!pattern.matches("windows"))
        #expect(pattern.matches("WINDOWS", caseInsensitive: true))
        #expect(WildcardPattern(glob: "É*").matches("école", caseInsensitive: true))
        let matcher = WildcardMatcher(pattern, caseInsensitive: true)
        var bytes = Array("wInDoWs 11".utf8)
        #expect(bytes.withUnsafeMutableBufferPointer { matcher.matches(utf8: UnsafeBufferPointer($0)) })
    }

    @Test("escaped stars are text")
    func literalStar() {
        let pattern = WildcardPattern(parts: [.text("a*"), .wildcard])
        #expect(pattern.matches("a*b"))
        #expect(!pattern.matches("ab"))
        #expect(pattern.description == "a\\**")
        #expect(pattern.globText == "a**")
    }

    @Test("normalisation")
    func normalisation() {
        #expect(WildcardPattern(parts: [.text("a"), .text(""), .text("b")]) == WildcardPattern(literal: "ab"))
        #expect(WildcardPattern(glob: "a**b").parts == [.text("a"), .wildcard, .wildcard, .text("b")])
        #expect(WildcardPattern(literal: "x").literalText == "x")
        #expect(WildcardPattern(glob: "x*").literalText == nil)
    }

    @Test("lone and leading wildcards")
    func leading() {
        #expect(WildcardPattern.any.isLoneWildcard)
        #expect(!WildcardPattern(glob: "**").isLoneWildcard)
        #expect(!WildcardPattern.any.hasLeadingWildcard)
        #expect(WildcardPattern(glob: "*a").hasLeadingWildcard)
        #expect(!WildcardPattern(glob: "a*").hasLeadingWildcard)
    }

    @Test("query_string form")
    func queryString() {
        #expect(WildcardPattern(glob: "+foo*bar").queryStringQuery == "\\+foo*bar")
        #expect(WildcardPattern(parts: [.text("a/b*"), .wildcard]).queryStringQuery == "a\\/b\\**")
    }
}
