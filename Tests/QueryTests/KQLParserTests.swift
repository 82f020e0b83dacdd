import Query
import Testing

@Suite("KQL parser")
struct KQLParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let query: String
        let expected: QueryNode
        init(_ query: String, _ expected: QueryNode) {
            self.query = query
            self.expected = expected
        }
        var testDescription: String { query.debugDescription }
    }

    static let precedenceCases: [Case] = [
        Case("a or b and c", .or([text("a"), .and([text("b"), text("c")])])),
        Case("a and b or c", .or([.and([text("a"), text("b")]), text("c")])),
        Case("not a and b", .and([.not(text("a")), text("b")])),
        Case("not a or b", .or([.not(text("a")), text("b")])),
        Case("a and not b or c", .or([.and([text("a"), .not(text("b"))]), text("c")])),
        Case("(a or b) and c", .and([.or([text("a"), text("b")]), text("c")])),
        Case("a or (b or c)", .or([text("a"), .or([text("b"), text("c")])])),
        Case("(a and b) and c", .and([.and([text("a"), text("b")]), text("c")])),
        Case("a or b or c or d", .or([text("a"), text("b"), text("c"), text("d")])),
        Case("not (a or b)", .not(.or([text("a"), text("b")]))),
        Case("not (not a)", .not(.not(text("a")))),
        Case("a AND b Or c", .or([.and([text("a"), text("b")]), text("c")])),
        Case("NOT a", .not(text("a"))),
        Case("nOt x:y", .not(match("x", "y"))),
        Case("((((a))))", text("a")),
    ]

    static let whitespaceCases: [Case] = [
        Case("", .matchAll),
        Case(" \t\r\n\u{A0}", .matchAll),
        Case("  foo  ", text("foo")),
        Case("foo bar", text("foo bar")),
        Case("a\tand\nb", .and([text("a"), text("b")])),
        Case("a\u{A0}or\u{A0}b", .or([text("a"), text("b")])),
        Case("a andb", text("a andb")),
        Case("aand b", text("aand b")),
        Case("a and", text("a and")),
        Case("a or or b", .or([text("a"), text("or b")])),
    ]

    static let fieldsCases: [Case] = [
        Case("foo:bar", match("foo", "bar")),
        Case("foo : bar", match("foo", "bar")),
        Case("foo:bar baz", match("foo", "bar baz")),
        Case("foo bar:baz", match("foo bar", "baz")),
        Case("foo:\"bar baz\"", phrase("foo", "bar baz")),
        Case("\"foo bar\":baz", match(FieldName("foo bar", quoted: true), "baz")),
        Case("machine*:osx", .is(field: FieldName(pattern: WildcardPattern(glob: "machine*")), value: .literal("osx"))),
        Case("foo:ba*", wildcard("foo", "ba*")),
        Case("foo:**", wildcard("foo", "**")),
        Case("foo:*", .exists(field: "foo")),
        Case("foo: *", .exists(field: "foo")),
        Case("\"foo\":*", .exists(field: FieldName("foo", quoted: true))),
        Case("foo*:*", .exists(field: FieldName(pattern: WildcardPattern(glob: "foo*")))),
        Case("*:*", .matchAll),
        Case("*:foo", .is(field: .all, value: .literal("foo"))),
        Case("\"*\":*", .exists(field: FieldName("*", quoted: true))),
        Case("*", wildcard(nil, "*")),
        Case("foo:\"*\"", phrase("foo", "*")),
        Case("f:true", match("f", "true")),
        Case("f:070", match("f", "070")),
    ]

    static let valueListsCases: [Case] = [
        Case("f:(a or b)", .or([match("f", "a"), match("f", "b")])),
        Case("f:(a and not b)", .and([match("f", "a"), .not(match("f", "b"))])),
        Case("f:(not a)", .not(match("f", "a"))),
        Case("f:((a or b) and c)", .and([.or([match("f", "a"), match("f", "b")]), match("f", "c")])),
        Case("f:(\"a b\" or c*)", .or([phrase("f", "a b"), wildcard("f", "c*")])),
        Case("f:( a or * )", .or([match("f", "a"), .exists(field: "f")])),
    ]

    static let rangesCases: [Case] = [
        Case("a>1", .range(field: "a", op: .gt, value: .literal("1"))),
        Case("a >= 1", .range(field: "a", op: .gte, value: .literal("1"))),
        Case("a < 2020-01-01T00\\:00", .range(field: "a", op: .lt, value: .literal("2020-01-01T00:00"))),
        Case("a < \"2020-01-01T00:00\"", .range(field: "a", op: .lt, value: .phrase("2020-01-01T00:00"))),
        Case("a<=\"x y\"", .range(field: "a", op: .lte, value: .phrase("x y"))),
        Case("a <= x*", .range(field: "a", op: .lte, value: .wildcard(WildcardPattern(glob: "x*")))),
        Case("bytes > 1000 and bytes < 8000", .and([
            .range(field: "bytes", op: .gt, value: .literal("1000")),
            .range(field: "bytes", op: .lt, value: .literal("8000")),
        ])),
    ]

    static let nestedCases: [Case] = [
        Case("a:{b:c}", .nested(path: "a", query: match("b", "c"))),
        Case("a : { b:1 and c:2 }", .nested(path: "a", query: .and([match("b", "1"), match("c", "2")]))),
        Case("a:{ b:{ c:d } }", .nested(path: "a", query: .nested(path: "b", query: match("c", "d")))),
        Case("not a:{ b:* }", .not(.nested(path: "a", query: .exists(field: "b")))),
    ]

    static let escapesCases: [Case] = [
        Case("foo\\:bar", text("foo:bar")),
        Case("\\(a\\)", text("(a)")),
        Case("a\\*b", text("a*b")),
        Case("a\\*b*", .is(field: nil, value: .wildcard(WildcardPattern(parts: [.text("a*b"), .wildcard])))),
        Case("\\{x\\} \\<y\\> \\\"z\\\" \\\\", text("{x} <y> \"z\" \\")),
        Case("a \\and b", text("a and b")),
        Case("a \\OR b", text("a OR b")),
        Case("\\NOT b", text("NOT b")),
        Case("a\\tb\\rc\\nd", text("a\tb\rc\nd")),
        Case("a \\not b", text("a \not b")),  // Kibana reads `\n` first
        Case("\\u0041\\u00e9", text("Aé")),
        Case("\\\\u0041", text("\\u0041")),
        Case("f:\"a \\\"b\\\" c\"", phrase("f", "a \"b\" c")),
        Case("\"\\(a\\)\"", phrase(nil, "\\(a\\)")),
        Case("\"a\\tb\\\\\"", phrase(nil, "a\tb\\")),
        Case("\"\"", phrase(nil, "")),
        Case("x\\t", text("x")),  // JavaScript's trim removes the unescaped tab
        Case("cannot", text("cannot")),
        Case("can not", text("can not")),
    ]

    @Test("precedence: not > and > or", arguments: precedenceCases)
    func precedence(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("whitespace", arguments: whitespaceCases)
    func whitespace(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("fields, exists and match-all", arguments: fieldsCases)
    func fields(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("value lists", arguments: valueListsCases)
    func valueLists(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("ranges", arguments: rangesCases)
    func ranges(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("nested", arguments: nestedCases)
    func nested(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("escapes", arguments: escapesCases)
    func escapes(_ c: Case) throws { #expect(try KQL.parse(c.query) == c.expected) }

    @Test("literal typing keeps numbers as text")
    func typing() throws {
        #expect(try KQL.parseLiteral("true").typed == .boolean(true))
        #expect(try KQL.parseLiteral("false").typed == .boolean(false))
        #expect(try KQL.parseLiteral("null").typed == .null)
        #expect(try KQL.parseLiteral("\"true\"").typed == .string("true"))
        #expect(try KQL.parseLiteral("070").typed == .string("070"))
        #expect(try KQL.parseLiteral("TRUE").typed == .string("TRUE"))
        #expect(try KQL.parseLiteral("a*").typed == .wildcard(WildcardPattern(glob: "a*")))
    }

    @Test("free text detection")
    func freeText() throws {
        #expect(try KQL.isFreeText("foo"))
        #expect(try KQL.isFreeText("a:b and (c:d or e)"))
        #expect(try KQL.isFreeText("not foo"))
        #expect(try !KQL.isFreeText("a:b and not c:d"))
        #expect(try !KQL.isFreeText("a > 1"))
        #expect(try !KQL.isFreeText("*:*"))
        #expect(try !KQL.isFreeText("a:{ b }"))
    }

    @Test("a long flat query parses without recursion")
    func longFlatQuery() throws {
        let terms = (0..<5000).map { "f\($0):v" }
        let node = try KQL.parse(terms.joined(separator: " or "))
        guard case .or(let children) = node else {
            Issue.record("expected or, got \(node)")
            return
        }
        #expect(children.count == 5000)
    }
}
