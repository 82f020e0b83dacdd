import Testing
@testable import Filters

@Suite struct RegexTests {
    static let table: [(String, String, String?)] = [
        // pattern, text, leftmost-longest match (nil: no match)
        ("abc", "xxabcxx", "abc"),
        ("a.c", "a\nc abc", "abc"),
        ("^abc", "xabc", nil),
        ("^abc", "abcx", "abc"),
        ("abc$", "abcx", nil),
        ("abc$", "xabc", "abc"),
        ("a*", "bbb", ""),
        ("a+", "baaab", "aaa"),
        ("colou?r", "the color", "color"),
        ("a{2,3}", "aaaa", "aaa"),
        ("a{2}", "a a aa", "aa"),
        ("a{2,}", "aaaaa", "aaaaa"),
        ("x{,2}", "x{,2}", "x{,2}"),
        ("(cat|dog)s?", "hotdogs", "dogs"),
        ("[a-c]+", "xxabcabcd", "abcabc"),
        ("[^0-9 ]+", "123 abc", "abc"),
        ("\\d+\\.\\d+", "v 12.5 x", "12.5"),
        ("\\w+@\\w+\\.com", "mail bob@ex.com now", "bob@ex.com"),
        ("\\bpong\\b", "ponged pong", "pong"),
        ("\\Bong", "pong", "ong"),
        ("(?i)HeLLo", "say hello", "hello"),
        ("(?i:ab)c", "ABc ABC", "ABc"),
        ("password=\\K\\S+", "user=a password=hunter2 x", "hunter2"),
        ("a|ab|abc", "abcd", "abc"),
        ("(a|b)*c", "ababc", "ababc"),
        ("[\\]x]+", "a]x]", "]x]"),
        ("\\x41B", "zAB", "AB"),
        ("(?<name>foo)bar", "foobar", "foobar"),
        ("[-a]+", "--a-", "--a-"),
        ("", "abc", ""),
        ("a(b|)c", "ac", "ac"),
        ("(a*)*b", "aaab", "aaab"),
    ]

    @Test(arguments: table.indices)
    func matchTable(_ i: Int) throws {
        let (pattern, text, expected) = Self.table[i]
        let re = try ByteRegex(pattern)
        var t = text
        let got = t.withUTF8 { p in re.firstMatch(in: p).map { String(decoding: UnsafeBufferPointer(rebasing: p[$0]), as: UTF8.self) } }
        #expect(got == expected, "\(pattern) on \(text)")
    }

    @Test(arguments: ["(a)\\1", "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "[abc", "(ab", "ab)", "a{3,1}", "\\q", "*a", "a{2000}"])
    func refused(_ pattern: String) {
        #expect(throws: RegexSyntaxError.self) { try ByteRegex(pattern) }
    }

    @Test func pathologicalPatternsAreLinear() throws {
        let text = String(repeating: "a", count: 30)
        let cases = ["(a+)+b", "(a|a)*b", "(a|aa)*b", "(a*)*b", "((a+)*)+b", "(.*a){12}b"]
        for p in cases {
            let re = try ByteRegex(p)
            let start = ContinuousClock.now
            #expect(!re.matches(text))
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .milliseconds(20), "\(p) took \(elapsed)")
        }
        // A long input stays linear too.
        let big = String(repeating: "a", count: 100_000)
        let start = ContinuousClock.now
        #expect(try !ByteRegex("(a+)+b").matches(big))
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test func requiredLiterals() throws {
        #expect(try ByteRegex("foo\\d+barbaz").requiredLiterals == [Literal("barbaz")])
        #expect(try ByteRegex("(?i)token|secret").requiredLiterals == [Literal("token", caseless: true), Literal("secret", caseless: true)])
        #expect(try ByteRegex("a*b").requiredLiterals == [Literal("b")])
        #expect(try ByteRegex("(x|y*)z").requiredLiterals == [Literal("z")])
        #expect(try ByteRegex(".*").requiredLiterals == nil)
    }
}
