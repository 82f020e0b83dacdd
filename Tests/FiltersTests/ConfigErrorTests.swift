import Testing
@testable import Filters

@Suite struct ConfigErrorTests {
    func failure(_ yaml: String) -> FilterConfigError? {
        do { _ = try FilterConfig.load(yaml: yaml, source: "rules.yaml"); return nil } catch { return error }
    }

    @Test func backreferenceIsRefusedWithCaret() throws {
        let e = try #require(failure("""
            rules:
              - name: bad
                match:
                  regex: '(a)\\1x'
                action: drop
            """))
        #expect(e.line == 4)
        #expect(e.message.contains("rule \"bad\"") && e.message.contains("backreferences"))
        #expect(e.description == """
            rules.yaml:4:18: error: rule "bad": regex `(a)\\1x` is refused: backreferences are not supported (they cannot be matched in linear time)
             4 |       regex: '(a)\\1x'
               |                  ^
             help: logsift matches regexes in linear time (no backtracking); rewrite the pattern without backreferences or lookaround, or use contains/glob
            """)
    }

    @Test func nestedQuantifiersAreAcceptedBecauseMatchingIsLinear() throws {
        #expect(failure("rules: [{name: n, match: {regex: '(a+)+b'}, action: drop}]") == nil)
    }

    static let cases: [(String, Int, String, String)] = [
        // yaml, line, message fragment, help fragment
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: dropp\n", 4, "unknown action `dropp`", "drop, sample"),
        ("rules:\n  - name: x\n    match: {contians: a}\n    action: drop\n", 3, "unknown match condition `contians`", "did you mean `contains`"),
        ("rules:\n  - match: {contains: a}\n    action: drop\n", 2, "has no `name`", "add `name:"),
        ("rules:\n  - name: x\n    action: drop\n", 2, "has no `match:`", "add a `match:`"),
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: sample\n", 4, "needs `every: N`", "every: 10"),
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: dedup\n    window: 5 parsecs\n", 5, "duration", "ms, s, m, h"),
        // Found by reading what the rules fuzz target reaches: a duration past Int64 nanoseconds trapped.
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: dedup\n    window: 99999999999h\n", 5, "duration", "ms, s, m, h"),
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: throttle\n    limit: 1\n    per: 9223372036855ms\n", 6, "duration", "ms, s, m, h"),
        ("rules:\n  - name: x\n    match: {status: 2x}\n    action: drop\n", 3, "`2x` is not a status", "2xx"),
        ("rules:\n  - name: x\n    match: {level: loud}\n    action: drop\n", 3, "unknown level `loud`", "warn"),
        ("rules:\n  - {name: x, match: {contains: a}, action: drop}\n  - {name: x, match: {contains: b}, action: drop}\n", 3, "used twice", "own name"),
        ("rules:\n  - name: x\n    match: {contains: a}\n    action: throttle\n", 4, "needs `limit: N`", "per: 1m"),
        ("rules:\n  - name: x\n    match: {regex: 'a'}\n    action: redact\n    replacement: 3\n", 0, "", ""),
        ("rules:\n  - name: x\n  match: oops\n", 3, "invalid YAML", "indentation"),
        ("rulez: []\n", 1, "unknown top-level key `rulez`", "did you mean `rules`"),
        ("rules:\n  - {name: x, match: {contains: a}, action: redact}\n", 2, "needs a `regex`", "regex:"),
    ]

    @Test(arguments: cases.indices)
    func messages(_ i: Int) {
        let (yaml, line, message, help) = Self.cases[i]
        let e = failure(yaml)
        if message.isEmpty { #expect(e == nil); return }
        #expect(e?.line == line, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
        #expect(e?.help.contains(help) == true, "\(String(describing: e))")
        #expect(e?.description.hasPrefix("rules.yaml:\(line):") == true)
    }
}
