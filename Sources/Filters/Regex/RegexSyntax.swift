/// A set of bytes, 256 bits.
struct ByteSet: Hashable, Sendable {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    static let all: ByteSet = { var s = ByteSet(); s.w0 = ~0; s.w1 = ~0; s.w2 = ~0; s.w3 = ~0; return s }()

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    mutating func insert(range lo: UInt8, _ hi: UInt8) { for b in lo...hi { insert(b) } }
    mutating func formUnion(_ o: ByteSet) { w0 |= o.w0; w1 |= o.w1; w2 |= o.w2; w3 |= o.w3 }
    var inverted: ByteSet { ByteSet(w0: ~w0, w1: ~w1, w2: ~w2, w3: ~w3) }
    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }
    var members: [UInt8] { (0...255).compactMap { contains(UInt8($0)) ? UInt8($0) : nil } }

    /// Adds the other case of every ASCII letter in the set.
    mutating func foldCase() {
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") where contains(b) || contains(b - 32) { insert(b); insert(b - 32) }
    }

    static func of(_ bytes: UInt8...) -> ByteSet { var s = ByteSet(); for b in bytes { s.insert(b) }; return s }
    static let digit: ByteSet = { var s = ByteSet(); s.insert(range: 48, 57); return s }()
    static let word: ByteSet = {
        var s = digit; s.insert(range: 65, 90); s.insert(range: 97, 122); s.insert(95); return s
    }()
    static let space: ByteSet = .of(32, 9, 10, 11, 12, 13)
}

/// The parsed form of a pattern; `RegexParser` builds it, `ByteRegex` compiles it to a program.
indirect enum RegexNode: Equatable, Sendable {
    case empty
    case set(ByteSet)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?)
    case lineStart, lineEnd, wordBoundary, notWordBoundary
    /// `\K`: the reported match starts here (text before it must match but is kept).
    case keepOut
}

/// A pattern the engine cannot accept, with the byte offset where the problem is.
struct RegexSyntaxError: Error, Equatable, Sendable {
    var offset: Int
    var message: String
}

/// Parses the supported syntax: literals, `.`, classes (`[a-z]`, `[^...]`, `\d \w \s` and negations),
/// anchors `^ $ \b \B`, `\K`, groups `( )`, `(?: )`, `(?<name> )`, the flag `(?i)`, alternation, and the
/// quantifiers `* + ? {m} {m,} {m,n}` (a trailing `?` or `+` is accepted and ignored). Backreferences and
/// lookaround are refused: they cannot be matched in linear time.
struct RegexParser {
    private let p: [UInt8]
    private var i = 0
    private var caseless = false
    static let maxRepeat = 1000

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(p: Array(pattern.utf8))
        let node = try parser.parseAlternation()
        if parser.i < parser.p.count { throw RegexSyntaxError(offset: parser.i, message: "unmatched ')'") }
        return node
    }

    private init(p: [UInt8]) { self.p = p }

    private func fail(_ msg: String, at: Int? = nil) -> RegexSyntaxError { RegexSyntaxError(offset: at ?? i, message: msg) }

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcat()]
        while i < p.count, p[i] == UInt8(ascii: "|") {
            i += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while i < p.count, p[i] != UInt8(ascii: "|"), p[i] != UInt8(ascii: ")") {
            let atomStart = i
            guard let atom = try parseAtom() else { continue }
            items.append(try parseQuantifiers(atom, atomStart: atomStart))
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func parseQuantifiers(_ atom: RegexNode, atomStart: Int) throws(RegexSyntaxError) -> RegexNode {
        var node = atom
        while i < p.count {
            let c = p[i]
            var lo = 0, hi: Int? = nil
            if c == UInt8(ascii: "*") { i += 1 }
            else if c == UInt8(ascii: "+") { lo = 1; i += 1 }
            else if c == UInt8(ascii: "?") { hi = 1; i += 1 }
            else if c == UInt8(ascii: "{"), let (m, n, end) = counted(at: i) {
                if let n, n < m { throw fail("repetition {\(m),\(n)} has max < min", at: i) }
                if m > Self.maxRepeat || (n ?? 0) > Self.maxRepeat { throw fail("repetition count above \(Self.maxRepeat)", at: i) }
                lo = m; hi = n; i = end
            } else { break }
            if case .lineStart = atom { throw fail("nothing to repeat", at: atomStart) }
            if i < p.count, p[i] == UInt8(ascii: "?") || p[i] == UInt8(ascii: "+") { i += 1 }  // lazy/possessive: same set of matches
            node = .repetition(node, min: lo, max: hi)
        }
        return node
    }

    /// `{m}`, `{m,}`, `{m,n}` at `at`; nil when the brace is a literal.
    private func counted(at start: Int) -> (Int, Int?, Int)? {
        var j = start + 1
        func number() -> Int? {
            var v = 0, seen = false
            while j < p.count, p[j] >= 48, p[j] <= 57 { v = min(v * 10 + Int(p[j] - 48), 1_000_000); j += 1; seen = true }
            return seen ? v : nil
        }
        guard let m = number() else { return nil }
        if j < p.count, p[j] == UInt8(ascii: "}") { return (m, m, j + 1) }
        guard j < p.count, p[j] == UInt8(ascii: ",") else { return nil }
        j += 1
        let n = number()
        guard j < p.count, p[j] == UInt8(ascii: "}") else { return nil }
        return (m, n, j + 1)
    }

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode? {
        let c = p[i]
        switch c {
        case UInt8(ascii: "("): return try parseGroup()
        case UInt8(ascii: "["): return .set(try parseClass())
        case UInt8(ascii: "."): i += 1; var s = ByteSet.all; s = s.removing(10); return .set(s)
        case UInt8(ascii: "^"): i += 1; return .lineStart
        case UInt8(ascii: "$"): i += 1; return .lineEnd
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"): throw fail("nothing to repeat")
        case UInt8(ascii: "\\"): return try parseEscape(inClass: false)
        default: i += 1; return .set(literal(c))
        }
    }

    private func literal(_ c: UInt8) -> ByteSet {
        var s = ByteSet.of(c)
        if caseless { s.foldCase() }
        return s
    }

    private mutating func parseGroup() throws(RegexSyntaxError) -> RegexNode? {
        let open = i
        i += 1
        let saved = caseless
        if i < p.count, p[i] == UInt8(ascii: "?") {
            i += 1
            guard i < p.count else { throw fail("unterminated group", at: open) }
            switch p[i] {
            case UInt8(ascii: ":"): i += 1
            case UInt8(ascii: "="), UInt8(ascii: "!"): throw fail("lookahead is not supported (matching must stay linear)", at: open)
            case UInt8(ascii: "P"), UInt8(ascii: "<"), UInt8(ascii: "'"):
                if p[i] == UInt8(ascii: "P") { i += 1 }
                if i < p.count, p[i] == UInt8(ascii: "="), p[i - 1] == UInt8(ascii: "P") {
                    throw fail("named backreferences are not supported (matching must stay linear)", at: open)
                }
                if i < p.count, p[i] == UInt8(ascii: "<"), i + 1 < p.count, p[i + 1] == UInt8(ascii: "=") || p[i + 1] == UInt8(ascii: "!") {
                    throw fail("lookbehind is not supported (matching must stay linear)", at: open)
                }
                while i < p.count, p[i] != UInt8(ascii: ">"), p[i] != UInt8(ascii: "'") { i += 1 }
                guard i < p.count else { throw fail("unterminated group name", at: open) }
                i += 1
            case UInt8(ascii: "i"), UInt8(ascii: "-"):
                var on = true
                while i < p.count, p[i] != UInt8(ascii: ")"), p[i] != UInt8(ascii: ":") {
                    switch p[i] {
                    case UInt8(ascii: "-"): on = false
                    case UInt8(ascii: "i"): caseless = on
                    default: throw fail("unsupported flag '\(Character(Unicode.Scalar(p[i])))' (only i)")
                    }
                    i += 1
                }
                guard i < p.count else { throw fail("unterminated group", at: open) }
                if p[i] == UInt8(ascii: ")") { i += 1; return nil }  // (?i) applies to the rest of the enclosing group
                i += 1
            default: throw fail("unsupported group syntax '(?\(Character(Unicode.Scalar(p[i])))'", at: open)
            }
        }
        let inner = try parseAlternation()
        guard i < p.count, p[i] == UInt8(ascii: ")") else { throw fail("missing ')'", at: open) }
        i += 1
        caseless = saved
        return inner
    }

    private mutating func parseClass() throws(RegexSyntaxError) -> ByteSet {
        let open = i
        i += 1
        var negate = false
        if i < p.count, p[i] == UInt8(ascii: "^") { negate = true; i += 1 }
        var set = ByteSet()
        var first = true
        while true {
            guard i < p.count else { throw fail("missing ']'", at: open) }
            let c = p[i]
            if c == UInt8(ascii: "]"), !first { i += 1; break }
            first = false
            var lo: UInt8
            if c == UInt8(ascii: "\\") {
                guard case .set(let s) = try parseEscape(inClass: true) else { throw fail("anchor inside a class") }
                if s.count != 1 { set.formUnion(s); continue }
                lo = s.members[0]
            } else {
                if c >= 0x80 { throw fail("non-ASCII characters in a class are not supported; use an alternation") }
                lo = c; i += 1
            }
            if i + 1 < p.count, p[i] == UInt8(ascii: "-"), p[i + 1] != UInt8(ascii: "]") {
                i += 1
                var hi = p[i]
                if hi == UInt8(ascii: "\\") {
                    guard case .set(let s) = try parseEscape(inClass: true), s.count == 1 else { throw fail("bad range end") }
                    hi = s.members[0]
                } else { i += 1 }
                if hi < lo { throw fail("range out of order", at: i - 1) }
                set.insert(range: lo, hi)
            } else {
                set.insert(lo)
            }
        }
        if caseless { set.foldCase() }
        return negate ? set.inverted : set
    }

    private mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> RegexNode {
        let at = i
        i += 1
        guard i < p.count else { throw fail("trailing backslash", at: at) }
        let c = p[i]
        i += 1
        switch c {
        case UInt8(ascii: "d"): return .set(.digit)
        case UInt8(ascii: "D"): return .set(ByteSet.digit.inverted)
        case UInt8(ascii: "w"): return .set(.word)
        case UInt8(ascii: "W"): return .set(ByteSet.word.inverted)
        case UInt8(ascii: "s"): return .set(.space)
        case UInt8(ascii: "S"): return .set(ByteSet.space.inverted)
        case UInt8(ascii: "t"): return .set(.of(9))
        case UInt8(ascii: "n"): return .set(.of(10))
        case UInt8(ascii: "r"): return .set(.of(13))
        case UInt8(ascii: "b") where !inClass: return .wordBoundary
        case UInt8(ascii: "B") where !inClass: return .notWordBoundary
        case UInt8(ascii: "K") where !inClass: return .keepOut
        case UInt8(ascii: "A") where !inClass: return .lineStart
        case UInt8(ascii: "z"), UInt8(ascii: "Z"): if !inClass { return .lineEnd }
        case UInt8(ascii: "x"):
            guard i + 1 < p.count, let h = hex(p[i]), let l = hex(p[i + 1]) else { throw fail("\\x needs two hex digits", at: at) }
            i += 2
            return .set(literal(h << 4 | l))
        case UInt8(ascii: "1")...UInt8(ascii: "9") where !inClass, UInt8(ascii: "k") where !inClass:
            throw fail("backreferences are not supported (they cannot be matched in linear time)", at: at)
        default: break
        }
        if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) { throw fail("unknown escape '\\\(Character(Unicode.Scalar(c)))'", at: at) }
        return .set(literal(c))
    }

    private func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }
}

extension ByteSet {
    func removing(_ b: UInt8) -> ByteSet {
        var s = self
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: s.w0 &= ~bit
        case 1: s.w1 &= ~bit
        case 2: s.w2 &= ~bit
        default: s.w3 &= ~bit
        }
        return s
    }
}
