import Query
import Testing

@Suite("Kibana escaping utilities")
struct KQLEscapingTests {
    static let kueryCases: [(String, String)] = [
        ("a:b", "a\\:b"),
        ("{x}", "{x}"),  // Kibana leaves braces alone
        ("a  and  b", "a  \\and  b"),
        ("a and or b", "a \\and or b"),  // the first match takes the space the second needs
        ("x\u{A0}or\u{3000}y", "x\u{A0}\\or\u{3000}y"),
        ("cannot go", "can\\not go"),
        ("NOT\tx", "\\NOT\\tx"),
        ("band and", "band and"),
        ("", ""),
    ]

    @Test("escapeKuery", arguments: kueryCases)
    func escapeKuery(_ input: String, _ expected: String) {
        #expect(KQL.escapeKuery(input) == expected)
    }

    @Test("escapeQuotes")
    func escapeQuotes() {
        #expect(KQL.escapeQuotes("a \"b\" \\ c") == "a \\\"b\\\" \\\\ c")
        #expect(KQL.escapeQuotes("plain") == "plain")
    }

    @Test("escapeKuery output parses to the input where Kibana's grammar allows")
    func roundTrip() throws {
        for input in ["a:b (c) <d> \"e\" *f* \\g", "x or y and z", "NOT this", "tab\there"] {
            #expect(try KQL.parseLiteral(KQL.escapeKuery(input)) == .literal(input))
        }
    }
}
