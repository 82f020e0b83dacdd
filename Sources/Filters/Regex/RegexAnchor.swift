/// Literals of which one occurs in every match of a pattern at a bounded distance from where the match
/// starts: `(?i)(password|token)=\S+` has `password`/`token` at offset 0, `(^|\W)(ping|pong)` has
/// `ping`/`pong` at offset 0 or 1. ``ByteRegex`` starts threads only where such a literal follows
/// within the window, instead of at every position of the line.
struct RegexAnchor: Sendable, Equatable {
    /// Caseless literals are stored lower-cased (see ``Literal``).
    var literals: [Literal]
    /// A match starting at `s` has one of the literals at some `q` with `s + minOffset <= q <= s + maxOffset`.
    var minOffset: Int
    var maxOffset: Int
    /// Bytes that can begin a literal (both cases for caseless ones).
    private var firstBytes = ByteSet()
    private var shortest = 0

    static let maxLiterals = 16
    /// Farthest a literal may lie from the start of a match for the anchor to be worth it.
    static let windowLimit = 64

    init(literals: [Literal], minOffset: Int, maxOffset: Int) {
        self.literals = literals
        self.minOffset = minOffset
        self.maxOffset = maxOffset
        for l in literals {
            firstBytes.insert(l.bytes[0])
            if l.caseless { firstBytes.insert(asciiUpper(l.bytes[0])) }
        }
        shortest = literals.map(\.bytes.count).min() ?? 0
    }

    /// The anchor of a parsed pattern, or nil when none is known (the pattern may match without a
    /// literal, or the literal may lie arbitrarily far from the start).
    static func of(_ node: RegexNode) -> RegexAnchor? {
        guard let a = node.leadingAnchor(), !a.literals.isEmpty, a.literals.allSatisfy({ !$0.bytes.isEmpty }) else { return nil }
        return RegexAnchor(literals: a.literals, minOffset: a.minOffset, maxOffset: a.maxOffset)
    }

    /// The first position at or after `from` where one of the literals occurs; nil when none does.
    func next(in text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let last = text.count - shortest
        var i = max(from, 0)
        while i <= last {
            if firstBytes.contains(text[i]) {
                for l in literals where l.bytes.count <= text.count - i && l.occurs(in: text, at: i) { return i }
            }
            i += 1
        }
        return nil
    }
}

extension RegexNode {
    /// Smallest and largest number of bytes a match of this node spans (nil: unbounded).
    var widthRange: (min: Int, max: Int?) {
        switch self {
        case .empty, .lineStart, .lineEnd, .wordBoundary, .notWordBoundary, .keepOut: return (0, 0)
        case .set: return (1, 1)
        case .concat(let items):
            var lo = 0, hi: Int? = 0
            for it in items {
                let w = it.widthRange
                lo += w.min
                hi = hi.flatMap { h in w.max.map { h + $0 } }
            }
            return (lo, hi)
        case .alternation(let branches):
            var lo = Int.max, hi: Int? = 0
            for b in branches {
                let w = b.widthRange
                lo = Swift.min(lo, w.min)
                hi = hi.flatMap { h in w.max.map { Swift.max(h, $0) } }
            }
            return (lo == .max ? 0 : lo, hi)
        case .repetition(let body, let lo, let hi):
            let w = body.widthRange
            let upper: Int? = w.max == 0 ? 0 : hi.flatMap { h in w.max.map { h * $0 } }
            return (lo * w.min, upper)
        }
    }

    /// The literals that every match holds at an offset window from its start (see ``RegexAnchor``).
    func leadingAnchor() -> (literals: [Literal], minOffset: Int, maxOffset: Int)? {
        switch self {
        case .set(let s):
            return s.asLiteralByte.map { ([Literal([$0.byte], caseless: $0.caseless)], 0, 0) }
        case .repetition(let body, let lo, _):
            return lo >= 1 ? body.leadingAnchor() : nil
        case .alternation(let branches):
            var lits: [Literal] = [], lo = Int.max, hi = 0
            for b in branches {
                guard let a = b.leadingAnchor() else { return nil }
                for l in a.literals where !lits.contains(l) { lits.append(l) }
                lo = Swift.min(lo, a.minOffset)
                hi = Swift.max(hi, a.maxOffset)
            }
            return lits.isEmpty || lits.count > RegexAnchor.maxLiterals ? nil : (lits, lo, hi)
        case .concat(let items):
            // Walk the prefix while its width is bounded: zero-width assertions and fixed-width items shift
            // the window; runs of literal bytes and items with an anchor of their own are candidates, and the
            // one with the longest shortest literal wins (the earliest on a tie).
            typealias Candidate = (literals: [Literal], minOffset: Int, maxOffset: Int)
            var best: Candidate? = nil
            func consider(_ c: Candidate) {
                func score(_ c: Candidate) -> Int { c.literals.map(\.bytes.count).min() ?? 0 }
                if best == nil || score(c) > score(best!) { best = c }
            }
            var lo = 0, hi = 0
            var run: [UInt8] = [], runCaseless = false, runLo = 0, runHi = 0
            for it in items {
                if case .set(let s) = it, let lb = s.asLiteralByte {
                    if run.isEmpty { (runLo, runHi) = (lo, hi) }
                    run.append(lb.byte)
                    runCaseless = runCaseless || lb.caseless
                    lo += 1
                    hi += 1
                    continue
                }
                if !run.isEmpty {
                    consider(([Literal(run, caseless: runCaseless)], runLo, runHi))
                    run = []
                    runCaseless = false
                }
                if let a = it.leadingAnchor() { consider((a.literals, lo + a.minOffset, hi + a.maxOffset)) }
                let w = it.widthRange
                guard let wmax = w.max, hi + wmax <= RegexAnchor.windowLimit else { return best }
                lo += w.min
                hi += wmax
            }
            if !run.isEmpty { consider(([Literal(run, caseless: runCaseless)], runLo, runHi)) }
            return best
        default:
            return nil
        }
    }
}
