import Query
import Testing

@Suite("KQL syntax errors")
struct KQLSyntaxErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let query: String
        let message: String
        let column: Int
        var testDescription: String { query.debugDescription }
    }

    /// Messages as Kibana words them (the first ten are Kibana's own test cases).
    static let messageCases: [Case] = [
        Case(query: "response:", message: #"Expected "(", "{", value, whitespace but end of input found."#, column: 9),
        Case(query: "response:200 or ", message: #"Expected "(", NOT, field name, value but end of input found."#, column: 16),
        Case(query: "response:(200 or )", message: #"Expected "(", NOT, value but ")" found."#, column: 17),
        Case(query: "response:200 and not ", message: #"Expected "(", field name, value but end of input found."#, column: 21),
        Case(query: "response:(200 and not )", message: #"Expected "(", value but ")" found."#, column: 22),
        Case(query: "foo:\"ba ", message: #"Expected "(", "{", value, whitespace but """ found."#, column: 4),
        Case(query: "foo:\"ba \"r\"", message: #"Expected AND, OR, end of input but "r" found."#, column: 9),
        Case(query: "foo:ba:r", message: #"Expected AND, OR, end of input but ":" found."#, column: 6),
        Case(query: "foo > ", message: "Expected literal, whitespace but end of input found.", column: 6),
        Case(query: "< 1000", message: #"Expected "(", NOT, end of input, field name, value, whitespace but "<" found."#, column: 0),
        // `not` followed by whitespace ends a literal even inside a word, as in Kibana.
        Case(query: "cannot x", message: #"Expected ":", "<", "<=", ">", ">=", AND, OR, end of input but "n" found."#, column: 3),
        Case(query: "can not x", message: #"Expected ":", "<", "<=", ">", ">=", AND, OR, end of input but "n" found."#, column: 4),
        Case(query: "(a", message: #"Expected ")", ":", "<", "<=", ">", ">=", AND, OR but end of input found."#, column: 2),
        Case(query: "é:😀:x", message: #"Expected AND, OR, end of input but ":" found."#, column: 4),
    ]

    @Test("Kibana's messages and carets", arguments: messageCases)
    func message(_ c: Case) {
        do throws(QuerySyntaxError) {
            let node = try KQL.parse(c.query)
            Issue.record("parsed as \(node)")
        } catch {
            #expect(error.code == .unexpectedInput)
            #expect(error.message == c.message)
            #expect(error.column == c.column)
            #expect(error.description == c.message + "\n" + c.query + "\n" + String(repeating: "-", count: c.column) + "^")
        }
    }

    /// Queries that fail, with where they fail.
    static let columnCases: [(String, Int)] = [
        ("a:(b", 4), ("a:{b:c", 6), ("\"abc", 0), ("a)", 1), ("a:b:c", 3), ("not not x", 4),
("f:(a or )", 8), ("x:{ }", 4), ("a > b > c", 6), ("\\", 0),
        ("a\\x", 1), ("a:b }", 4),
    ]

    @Test("error columns", arguments: columnCases)
    func column(_ query: String, _ column: Int) {
        #expect(throws: QuerySyntaxError.self) { try KQL.parse(query) }
        do throws(QuerySyntaxError) {
            _ = try KQL.parse(query)
        } catch {
            #expect(error.column == column, "\(error)")
        }
    }

    @Test("nesting is limited")
    func nestingLimit() throws {
        let depth = KQL.maxNestingDepth
        let deepest = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try KQL.parse(deepest) == text("a"))
        let tooDeep = "(" + deepest + ")"
        #expect { try KQL.parse(tooDeep) } throws: { error in
            let error = error as? QuerySyntaxError
            return error?.code == .nestingTooDeep && error?.column == depth
        }
        let braces = String(repeating: "a:{", count: depth + 1) + "b" + String(repeating: "}", count: depth + 1)
        #expect { try KQL.parse(braces) } throws: { ($0 as? QuerySyntaxError)?.code == .nestingTooDeep }
        let values = "f:" + String(repeating: "(", count: depth + 1) + "b" + String(repeating: ")", count: depth + 1)
        #expect { try KQL.parse(values) } throws: { ($0 as? QuerySyntaxError)?.code == .nestingTooDeep }
        let nots = String(repeating: "not (", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(throws: Never.self) { try KQL.parse(nots) }
    }

    @Test("size is limited")
    func sizeLimit() throws {
        let largest = String(repeating: "a", count: KQL.maxQueryBytes)
        #expect(try KQL.parse(largest) == text(largest))
        #expect { try KQL.parse(largest + "a") } throws: { error in
            guard let error = error as? QuerySyntaxError else { return false }
            return error.code == .queryTooLong && !error.description.contains(largest)
        }
        // Bytes, not characters: 2-byte characters reach the limit at half the count.
        let wide = String(repeating: "é", count: KQL.maxQueryBytes / 2 + 1)
        #expect { try KQL.parse(wide) } throws: { ($0 as? QuerySyntaxError)?.code == .queryTooLong }
    }

    @Test("parseLiteral errors")
    func literalErrors() {
        #expect { try KQL.parseLiteral("") } throws: { ($0 as? QuerySyntaxError)?.message == "Expected literal but end of input found." }
        #expect { try KQL.parseLiteral("a:b") } throws: {
            ($0 as? QuerySyntaxError)?.message == #"Expected end of input but ":" found."#
        }
    }
}
