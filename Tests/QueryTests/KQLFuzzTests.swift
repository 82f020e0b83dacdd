import Query
import Testing

/// Random text either parses, printing back to the same tree, or fails with an error inside the query.
@Suite("KQL fuzz")
struct KQLFuzzTests {
    private static let alphabet: [String] = [
        "a", "b", "f", "1", " ", " ", "  ", "\t", "\n", "\u{A0}", "(", ")", "{", "}", ":", "*", "\"", "\\", "<", ">",
        "=", "<=", ">=", " and ", " or ", "not ", "AND", "or", "\\u00", "é", "😀", "\\n", "\\*", "x:", "y:(",
    ]

    @Test("random text parses or fails cleanly")
    func randomText() {
        var random = SplitMix64(seed: 42)
        var parsed = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<20000 {
                let length = Int.random(in: 0...24, using: &random)
                let query = (0..<length).map { _ in Self.alphabet.randomElement(using: &random)! }.joined()
                if check(query) { parsed += 1 }
            }
        }
        print("KQL fuzz: \(parsed) of 20000 random queries parsed, in \(elapsed)")
        #expect(parsed > 1000)
        #expect(elapsed < .seconds(30))
    }

    @Test("long random text is linear")
    func longRandomText() {
        var random = SplitMix64(seed: 7)
        let clock = ContinuousClock()
        for _ in 0..<20 {
            let query = (0..<4000).map { _ in Self.alphabet.randomElement(using: &random)! }.joined()
            let elapsed = clock.measure { _ = check(query) }
            #expect(elapsed < .seconds(1), "\(query.prefix(80))...")
        }
    }

    @Test("adversarial shapes stay fast")
    func adversarial() {
        let depth = KQL.maxNestingDepth
        let queries = [
            String(repeating: "(", count: depth) + "a",
            String(repeating: "not (", count: depth) + "a",
            "f:" + String(repeating: "(", count: depth) + "a",
            String(repeating: "a:{", count: depth) + "b",
            String(repeating: "(a or ", count: depth),
            String(repeating: "a ", count: 20000),
            String(repeating: "a or ", count: 10000),
            String(repeating: "\\", count: 30000),
            String(repeating: "\"a", count: 20000),
            String(repeating: "x:", count: 20000),
            String(repeating: "not ", count: 10000) + "a",
            String(repeating: " ", count: 60000) + "a",
        ]
        let clock = ContinuousClock()
        for query in queries {
            let elapsed = clock.measure { _ = check(query) }
            #expect(elapsed < .seconds(1), "\(query.prefix(40))...")
        }
    }

    /// Checks one query; true when it parsed.
    private func check(_ query: String) -> Bool {
        do throws(QuerySyntaxError) {
            let node = try KQL.parse(query)
            let printed = KQLPrinter.print(node)
            let reparsed = try? KQL.parse(printed)
            #expect(reparsed == node, "\(query.debugDescription) printed as \(printed.debugDescription)")
            return true
        } catch {
            #expect(error.column >= 0 && error.column <= query.utf16.count, "\(query.debugDescription)")
            #expect(!error.message.isEmpty)
            return false
        }
    }
}
