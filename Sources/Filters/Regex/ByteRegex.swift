/// A regular expression over bytes, matched by a Pike VM (a Thompson NFA simulation): time is
/// O(text length × program size) whatever the pattern, so `(a+)+b` cannot backtrack catastrophically.
///
/// Matches are leftmost-longest. `\K` moves the reported start (for redacting a value but not its key).
/// Compiled once; matching allocates nothing on the heap (scratch lives on the stack).
struct ByteRegex: Sendable {
    let pattern: String
    private let insts: [Inst]
    private let sets: [ByteSet]
    /// Bytes that can begin a match; nil when a match may start anywhere (empty or anchored start).
    private let firstBytes: ByteSet?
    private let anchored: Bool
    /// At least one of these must occur in any text that matches (nil: no such literal known).
    let requiredLiterals: [Literal]?
    /// Literals near the start of every match: threads start only where one follows (nil: at every position).
    let anchor: RegexAnchor?
    static let maxProgram = 20_000

    struct Inst: Sendable {
        var op: Op
        var x: Int32 = 0
        var y: Int32 = 0
    }

    enum Op: UInt8, Sendable { case set, split, jump, lineStart, lineEnd, wordBoundary, notWordBoundary, keepOut, match }

    /// `prefilter: false` starts threads at every position, ignoring ``anchor`` (for tests that compare).
    init(_ pattern: String, prefilter: Bool = true) throws(RegexSyntaxError) {
        let node = try RegexParser.parse(pattern)
        var c = Compiler()
        try c.emit(node)
        c.insts.append(Inst(op: .match))
        self.pattern = pattern
        self.insts = c.insts
        self.sets = c.sets
        self.requiredLiterals = node.requiredLiterals()
        self.anchor = prefilter ? RegexAnchor.of(node) : nil
        (self.firstBytes, self.anchored) = Self.startInfo(c.insts, c.sets)
    }

    private struct Compiler {
        var insts: [Inst] = []
        var sets: [ByteSet] = []
        var setIndex: [ByteSet: Int32] = [:]

        mutating func add(_ i: Inst) throws(RegexSyntaxError) -> Int {
            if insts.count >= ByteRegex.maxProgram {
                throw RegexSyntaxError(offset: 0, message: "pattern too large after expanding repetitions (max \(ByteRegex.maxProgram) steps)")
            }
            insts.append(i)
            return insts.count - 1
        }

        mutating func emit(_ n: RegexNode) throws(RegexSyntaxError) {
            switch n {
            case .empty: break
            case .set(let s):
                let idx: Int32
                if let k = setIndex[s] { idx = k } else { idx = Int32(sets.count); sets.append(s); setIndex[s] = idx }
                _ = try add(Inst(op: .set, x: idx))
            case .concat(let items): for it in items { try emit(it) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (k, b) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = try add(Inst(op: .split))
                        insts[split].x = Int32(insts.count)
                        try emit(b)
                        jumps.append(try add(Inst(op: .jump)))
                        insts[split].y = Int32(insts.count)
                    } else {
                        try emit(b)
                    }
                }
                for j in jumps { insts[j].x = Int32(insts.count) }
            case .repetition(let body, let lo, let hi):
                for _ in 0..<lo { try emit(body) }
                if let hi {
                    var splits: [Int] = []
                    for _ in lo..<hi {
                        let s = try add(Inst(op: .split))
                        insts[s].x = Int32(insts.count)
                        splits.append(s)
                        try emit(body)
                    }
                    for s in splits { insts[s].y = Int32(insts.count) }
                } else {
                    let s = try add(Inst(op: .split))
                    insts[s].x = Int32(insts.count)
                    try emit(body)
                    _ = try add(Inst(op: .jump, x: Int32(s)))
                    insts[s].y = Int32(insts.count)
                }
            case .lineStart: _ = try add(Inst(op: .lineStart))
            case .lineEnd: _ = try add(Inst(op: .lineEnd))
            case .wordBoundary: _ = try add(Inst(op: .wordBoundary))
            case .notWordBoundary: _ = try add(Inst(op: .notWordBoundary))
            case .keepOut: _ = try add(Inst(op: .keepOut))
            }
        }
    }

    /// Follows the empty transitions from the start: the union of the first byte sets, or nil when the
    /// match can be empty; `anchored` when every path begins with `^`.
    private static func startInfo(_ insts: [Inst], _ sets: [ByteSet]) -> (ByteSet?, Bool) {
        if insts.first?.op == .lineStart { return (nil, true) }
        var seen = Set<Int>(), stack = [0], first = ByteSet()
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let i = insts[pc]
            switch i.op {
            case .set: first.formUnion(sets[Int(i.x)])
            case .split: stack.append(Int(i.x)); stack.append(Int(i.y))
            case .jump: stack.append(Int(i.x))
            case .match, .lineStart, .lineEnd: return (nil, false)
            case .wordBoundary, .notWordBoundary, .keepOut: stack.append(pc + 1)
            }
        }
        return (first, false)
    }

    /// True when the pattern matches somewhere in `text`.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool { run(text, from: 0, stopAtFirst: true) != nil }

    /// The leftmost-longest match at or after `from`.
    func firstMatch(in text: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Range<Int>? { run(text, from: from, stopAtFirst: false) }

    func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches($0) }
    }

    private func run(_ text: UnsafeBufferPointer<UInt8>, from: Int, stopAtFirst: Bool) -> Range<Int>? {
        let m = insts.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 8 * m + 16) { scratch -> Range<Int>? in
            let base = scratch.baseAddress!
            var cpc = base, cst = base + m, npc = base + 2 * m, nst = base + 3 * m
            let mark = base + 4 * m, stack = base + 5 * m
            mark.initialize(repeating: -1, count: m)
            var ccount = 0, ncount = 0
            var bestStart = -1, bestEnd = -1
            let n = text.count
            var pos = from
            return insts.withUnsafeBufferPointer { prog -> Range<Int>? in
                func close(_ pcs: UnsafeMutablePointer<Int32>, _ sts: UnsafeMutablePointer<Int32>, _ count: inout Int,
                           _ pc0: Int, _ start0: Int, _ at: Int, _ stack: UnsafeMutablePointer<Int32>) {
                    var sp = 0
                    stack[sp] = Int32(pc0); sp += 1
                    let stamp = Int32(truncatingIfNeeded: at)
                    while sp > 0 {
                        sp -= 1
                        let pc = Int(stack[sp])
                        if mark[pc] == stamp { continue }
                        mark[pc] = stamp
                        let ins = prog[pc]
                        switch ins.op {
                        case .set, .match: pcs[count] = Int32(pc); sts[count] = Int32(start0); count += 1
                        case .split: stack[sp] = ins.y; stack[sp + 1] = ins.x; sp += 2
                        case .jump: stack[sp] = ins.x; sp += 1
                        case .lineStart: if at == 0 { stack[sp] = Int32(pc + 1); sp += 1 }
                        case .lineEnd: if at == n || text[at] == 10 { stack[sp] = Int32(pc + 1); sp += 1 }
                        case .wordBoundary, .notWordBoundary:
                            let a = at > 0 && ByteSet.word.contains(text[at - 1])
                            let b = at < n && ByteSet.word.contains(text[at])
                            if (a != b) == (ins.op == .wordBoundary) { stack[sp] = Int32(pc + 1); sp += 1 }
                        case .keepOut:
                            // A new start for the rest of this path; the rest is closed separately.
                            close(pcs, sts, &count, pc + 1, at, at, stack + sp)
                        }
                    }
                }
                // With an anchor, `nextLiteral` is the first literal occurrence at or after `pos + minOffset`.
                var nextLiteral = -1
                while true {
                    if bestStart < 0, !anchored || pos == 0 {
                        var viable = true
                        if let a = anchor {
                            if nextLiteral < pos + a.minOffset { nextLiteral = a.next(in: text, from: pos + a.minOffset) ?? Int.max }
                            if ccount == 0 {
                                if nextLiteral == Int.max { return nil }
                                pos = max(pos, nextLiteral - a.maxOffset)
                            }
                            viable = nextLiteral <= pos + a.maxOffset && (firstBytes?.contains(text[pos]) ?? true)
                        } else if ccount == 0, let fb = firstBytes {
                            while pos < n, !fb.contains(text[pos]) { pos += 1 }
                            if pos == n { return nil }
                        }
                        if viable { close(cpc, cst, &ccount, 0, pos, pos, stack) }
                    }
                    if ccount == 0 {
                        if bestStart >= 0 || anchored || pos >= n { break }
                        pos += 1
                        continue
                    }
                    ncount = 0
                    for t in 0..<ccount {
                        let start = Int(cst[t])
                        if bestStart >= 0, start > bestStart { continue }
                        let ins = prog[Int(cpc[t])]
                        if ins.op == .match {
                            if bestStart < 0 || start < bestStart || (start == bestStart && pos > bestEnd) { bestStart = start; bestEnd = pos }
                            if stopAtFirst { return bestStart..<bestEnd }
                            continue
                        }
                        if pos < n, sets[Int(ins.x)].contains(text[pos]) { close(npc, nst, &ncount, Int(cpc[t]) + 1, start, pos + 1, stack) }
                    }
                    swap(&cpc, &npc); swap(&cst, &nst)
                    ccount = ncount
                    if pos >= n { break }
                    pos += 1
                    if anchored, bestStart < 0, ccount == 0 { break }
                }
                return bestStart >= 0 ? bestStart..<bestEnd : nil
            }
        }
    }
}
