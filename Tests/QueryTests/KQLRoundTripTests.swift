import Query
import Testing

/// `parse(print(q)) == q` for random canonical trees, in both printer styles.
@Suite("KQL round trip")
struct KQLRoundTripTests {
    @Test("random trees print and parse back", arguments: [KQLPrinter.Style.minimal, .kibana])
    func randomTrees(style: KQLPrinter.Style) throws {
        var generator = QueryGenerator(seed: style == .minimal ? 1 : 2)
        for _ in 0..<3000 {
            let node = generator.node(depth: 4)
            let printed = KQLPrinter.print(node, style: style)
            do {
                let parsed = try KQL.parse(printed)
                #expect(parsed == node, "printed as \(printed.debugDescription)")
                if parsed != node { return }
            } catch {
                Issue.record("\(node) printed as \(printed.debugDescription) does not parse:\n\(error)")
                return
            }
        }
    }

    @Test("random values print and parse back as literals")
    func randomValues() throws {
        var generator = QueryGenerator(seed: 3)
        for _ in 0..<3000 {
            let value = generator.value(allowLoneWildcard: true)
            let printed = KQLPrinter.print(value)
            #expect(try KQL.parseLiteral(printed) == value, "printed as \(printed.debugDescription)")
        }
    }

    struct Printed: Sendable {
        let node: QueryNode
        let minimal: String
        let kibana: String
    }

    static let layoutCases: [Printed] = [
        Printed(node: .matchAll, minimal: "*: *", kibana: "*: *"),
        Printed(node: .or([text("a"), .and([text("b"), text("c")])]), minimal: "a or b and c", kibana: "(a OR (b AND c))"),
        Printed(node: .and([.or([text("a"), text("b")]), text("c")]), minimal: "(a or b) and c", kibana: "((a OR b) AND c)"),
        Printed(node: .and([.and([text("a"), text("b")]), text("c")]), minimal: "(a and b) and c", kibana: "((a AND b) AND c)"),
        Printed(node: .not(.or([text("a"), text("b")])), minimal: "not (a or b)", kibana: "NOT (a OR b)"),
        Printed(node: .not(.not(text("a"))), minimal: "not (not a)", kibana: "NOT (NOT a)"),
        Printed(node: .nested(path: "p", query: .exists(field: "f")), minimal: "p: { f: * }", kibana: "p: { f: * }"),
        Printed(node: .range(field: "n", op: .gte, value: .literal("5")), minimal: "n >= 5", kibana: "n >= 5"),
    ]

    @Test("layouts", arguments: layoutCases)
    func layout(_ p: Printed) {
        #expect(KQLPrinter.print(p.node) == p.minimal)
        #expect(KQLPrinter.print(p.node, style: .kibana) == p.kibana)
    }

    static let escapingCases: [(QueryValue, String)] = [
        (.literal("a:b"), "a\\:b"),
        (.literal("(x) <y> {z} \"q\" \\"), "\\(x\\) \\<y\\> \\{z\\} \\\"q\\\" \\\\"),
        (.literal("a*b"), "a\\*b"),
        (.wildcard(WildcardPattern(parts: [.text("a*"), .wildcard])), "a\\**"),
        (.literal("a or b and c"), "a \\or b \\and c"),
        (.literal("not x"), "\\u006Eot x"),
        (.literal("NOT x"), "\\NOT x"),
        (.literal("cannot"), "can\\u006Eot"),
        (.literal("a or"), "a \\or"),
        (.literal("orange and"), "orange \\and"),
        (.literal("a\tb\nc"), "a\\tb\\nc"),
        (.literal(""), "\\u0020"),
        (.literal("true"), "true"),
        (.phrase("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\""),
        (.phrase("a*b"), "\"a*b\""),
    ]

    @Test("minimal escaping", arguments: escapingCases)
    func escaping(_ value: QueryValue, _ printed: String) throws {
        #expect(KQLPrinter.print(value) == printed)
        #expect(try KQL.parseLiteral(printed) == value)
    }

    @Test("degenerate groups still print parseable text")
    func degenerate() throws {
        #expect(try KQL.parse(KQLPrinter.print(.and([]))) == .matchAll)
        #expect(try KQL.parse(KQLPrinter.print(.or([]))) == .not(.matchAll))
        #expect(try KQL.parse(KQLPrinter.print(.and([text("a")]))) == text("a"))
        #expect(try KQL.parse(KQLPrinter.print(.and([.or([.and([text("a"), text("b")])]), text("c")])))
            == .and([.and([text("a"), text("b")]), text("c")]))
    }
}

/// Random canonical query trees: the shapes the parser produces.
struct QueryGenerator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Characters that stress escaping: specials, keywords, whitespace the grammar treats specially,
    /// whitespace only JavaScript's trim knows, non-ASCII and astral characters.
    private static let pieces: [String] = [
        "a", "b", "x", "7", ".", "-", "_", "@", "é", "😀", "\\", "(", ")", ":", "<", ">", "=", "\"", "*", "{", "}",
        " ", " ", "\t", "\n", "\r", "\u{A0}", "\u{2003}", "\u{FEFF}", "\u{2028}",
        "or", "OR", "and", "And", "not", "NOT", "n", "\\u0041", "true", "null",
    ]

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func rawText(maxPieces: Int = 6) -> String {
        let count = Int.random(in: 1...maxPieces, using: &random)
        return (0..<count).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
    }

    /// Text as an unquoted literal can hold it: trimmed like JavaScript's `trim`.
    mutating func trimmedText() -> String {
        while true {
            let trimmed = Self.trimmed(rawText())
            if !trimmed.isEmpty { return trimmed }
        }
    }

    static func trimmed(_ text: String) -> String {
        let units = Array(text.utf16)
        let isSpace: (UInt16) -> Bool = {
            switch $0 {
            case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
            default: false
            }
        }
        guard let first = units.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = units.lastIndex(where: { !isSpace($0) })!
        return String(decoding: units[first...last], as: UTF16.self)
    }

    mutating func pattern(allowLone: Bool) -> WildcardPattern {
        while true {
            var parts: [WildcardPattern.Part] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                parts.append(chance(40) ? .wildcard : .text(rawText(maxPieces: 3)))
            }
            if !parts.contains(.wildcard) { parts.insert(.wildcard, at: Int.random(in: 0...parts.count, using: &random)) }
            // An unquoted literal is trimmed as a whole, wildcards included.
            parts = WildcardPattern(parts: parts).parts
            if case .text(let first) = parts.first { parts[0] = .text(Self.trimmedStart(first)) }
            if case .text(let last) = parts.last { parts[parts.count - 1] = .text(Self.trimmedEnd(last)) }
            let pattern = WildcardPattern(parts: parts)
            if pattern.hasWildcard, allowLone || !pattern.isLoneWildcard { return pattern }
        }
    }

    private static func trimmedStart(_ text: String) -> String {
        let trimmed = trimmed(text + "x")
        return String(trimmed.dropLast())
    }

    private static func trimmedEnd(_ text: String) -> String {
        let trimmed = trimmed("x" + text)
        return String(trimmed.dropFirst())
    }

    mutating func value(allowLoneWildcard: Bool) -> QueryValue {
        switch Int.random(in: 0..<10, using: &random) {
        case 0...2: .phrase(chance(5) ? "" : rawText())
        case 3...6: .literal(chance(3) ? "" : trimmedText())
        default: .wildcard(pattern(allowLone: allowLoneWildcard))
        }
    }

    mutating func field(allowLone: Bool = true) -> FieldName {
        switch Int.random(in: 0..<10, using: &random) {
        case 0...1: FieldName(rawText(), quoted: true)
        case 2...6: FieldName(trimmedText())
        default: FieldName(pattern: pattern(allowLone: allowLone))
        }
    }

    mutating func leaf() -> QueryNode {
        switch Int.random(in: 0..<20, using: &random) {
        case 0: return .matchAll
        case 1...3: return .exists(field: field(allowLone: false))
        case 4...6: return .range(field: field(), op: RangeOp.allCases.randomElement(using: &random)!, value: value(allowLoneWildcard: true))
        case 7...11: return .is(field: nil, value: value(allowLoneWildcard: true))
        default: return .is(field: field(), value: value(allowLoneWildcard: false))
        }
    }

    mutating func node(depth: Int) -> QueryNode {
        guard depth > 0, chance(60) else { return leaf() }
        switch Int.random(in: 0..<10, using: &random) {
        case 0...2: return .and((0..<Int.random(in: 2...4, using: &random)).map { _ in node(depth: depth - 1) })
        case 3...5: return .or((0..<Int.random(in: 2...4, using: &random)).map { _ in node(depth: depth - 1) })
        case 6...7: return .not(node(depth: depth - 1))
        default: return .nested(path: field(), query: node(depth: depth - 1))
        }
    }
}
