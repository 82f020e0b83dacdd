#if canImport(Glibc)
import Glibc
#endif

/// Identifier terms a search requires (`IndexPlan.requiredIdentifierTerms`), prepared for comparison with
/// the variables of template-encoded texts: a segment whose Bloom filter may hold the id rebuilds only the
/// events whose variables could form it, not its ~1,000 texts (search on the encoded form).
package struct TermProbe {
    struct Term {
        let bytes: [UInt8]
        let digits: Bool
        /// The bytes of a lower-case hex term of even length.
        let hex: [UInt8]?
    }

    let terms: [Term]
    /// Whether a term is all digits (only then can a number or a time's fraction form it).
    let anyDigits: Bool

    /// Nil when the filter cannot decide exactly which events may hold the terms: a term with other than ASCII
    /// letters and digits (non-ASCII bytes join terms across template bytes) or cut at the index's term length.
    package init?(_ terms: [[UInt8]]) {
        guard !terms.isEmpty else { return nil }
        var out: [Term] = []
        for t in terms {
            guard t.count < 64, t.allSatisfy(TextTemplate.isAlnum) else { return nil }
            let digits = t.allSatisfy(TextTemplate.isDigit)
            var hex: [UInt8]?
            if t.count % 2 == 0, t.allSatisfy(TextTemplate.isLowerHex) {
                hex = stride(from: 0, to: t.count, by: 2).map { TextTemplate.hexValue(t[$0]) << 4 | TextTemplate.hexValue(t[$0 + 1]) }
            }
            out.append(Term(bytes: t, digits: digits, hex: hex))
        }
        self.terms = out
        anyDigits = out.contains { $0.digits }
    }

    func matchesDecimal(_ v: UInt64, width: Int) -> Bool {
        var digits = 1
        while digits < 20 && v >= TextTemplate.pow10Wide[digits] { digits += 1 }
        let n = max(digits, width)
        return terms.contains { t in
            guard t.digits, t.bytes.count == n else { return false }
            var x = v
            for k in stride(from: n - 1, through: 0, by: -1) {
                guard t.bytes[k] == UInt8(truncatingIfNeeded: x % 10) &+ 0x30 else { return false }
                x /= 10
            }
            return true
        }
    }

    func matchesHex(_ b: ArraySlice<UInt8>) -> Bool { terms.contains { $0.hex.map { $0.elementsEqual(b) } ?? false } }

    func matchesWord(_ w: ArraySlice<UInt8>) -> Bool {
        terms.contains { t in t.bytes.count == w.count && zip(t.bytes, w).allSatisfy { $0 == ($1 | ($1 &- 0x41 < 26 ? 0x20 : 0)) } }
    }
}

extension TextRebuilder {
    /// Whether template `t` may hold one of `probe`'s terms other than through its variables one by one: when a
    /// literal holds a backslash (the index also takes the words of unescaped JSON and logfmt values), when a time or
    /// UUID runs on into another variable, or when it runs on into letters or digits `L` (`…00.123Z`: one index term,
    /// `123z`, across two parts) and a term is digits (a UUID's: hex) followed by `L`.
    mutating func isOpaque(_ t: Int, templates: UnsafeBufferPointer<UInt8>, probe: TermProbe) throws -> Bool {
        let r = try program(t)
        for k in r {
            let step = steps[k]
            if step.kind == Step.literal {
                if UnsafeBufferPointer(rebasing: templates[Int(step.start)..<Int(step.end)]).contains(0x5C) { return true }
            } else if step.kind == Step.time || step.kind == Step.uuid, k + 1 < r.upperBound {
                let next = steps[k + 1]
                if next.kind != Step.literal { return true }
                let first = Int(next.start), end = Int(next.end)
                guard TextTemplate.isAlnum(templates[first]) else { continue }
                var e = first
                while e < end, TextTemplate.isAlnum(templates[e]) { e += 1 }
                if e == end, k + 2 < r.upperBound { return true }
                if probe.mayJoin(UnsafeBufferPointer(rebasing: templates[first..<e]), uuid: step.kind == Step.uuid) { return true }
            }
        }
        return false
    }

    /// Reads the variables of one event of template `t` (advancing the columns as ``rebuild`` would) and says
    /// whether one of them is a term of `probe`.
    mutating func mayHold(_ t: Int, probe: TermProbe) throws -> Bool {
        var hit = false
        for k in try program(t) {
            let step = steps[k]
            switch step.kind {
            case Step.literal: break
            case Step.int:
                let v = try ints.varint()
                if !hit, probe.anyDigits, probe.matchesDecimal(v, width: 0) { hit = true }
            case Step.digits:
                let v = try ints.varint()
                if !hit, probe.anyDigits, probe.matchesDecimal(v, width: Int(step.x)) { hit = true }
            case Step.hex:
                let b = try hex.bytes(Int(step.x))
                if !hit, probe.matchesHex(b) { hit = true }
            case Step.uuid:
                let b = try hex.bytes(16)
                if !hit {
                    let s = b.startIndex
                    for g in [s..<(s + 4), (s + 4)..<(s + 6), (s + 6)..<(s + 8), (s + 8)..<(s + 10), (s + 10)..<(s + 16)] where probe.matchesHex(b[g]) {
                        hit = true
                    }
                }
            case Step.time:
                _ = try times.varint()
                // Its fraction can be a term of 6 to 9 digits.
                if probe.anyDigits { hit = true }
            default:
                let len = try strs.varint()
                guard len <= UInt64(strs.remaining) else { throw corruptBlock("short word column") }
                let w = try strs.bytes(Int(len))
                if !hit, probe.matchesWord(w) { hit = true }
            }
        }
        return hit
    }

    /// Reads past the variables of one event of template `t` (an event a search does not need rebuilt).
    mutating func skip(_ t: Int) throws {
        for k in try program(t) {
            switch steps[k].kind {
            case Step.literal: break
            case Step.int, Step.digits: _ = try ints.varint()
            case Step.hex: _ = try hex.bytes(Int(steps[k].x))
            case Step.uuid: _ = try hex.bytes(16)
            case Step.time: _ = try times.varint()
            default:
                let len = try strs.varint()
                guard len <= UInt64(strs.remaining) else { throw corruptBlock("short word column") }
                _ = try strs.bytes(Int(len))
            }
        }
    }

    /// The columns' read positions, to come back to an event after ``mayHold``.
    var positions: (Int, Int, Int, Int) {
        get { (ints.at, hex.at, times.at, strs.at) }
        set { (ints.at, hex.at, times.at, strs.at) = newValue }
    }
}

extension TermProbe {
    /// Whether any event of a segment may hold one of the terms, from its whole columns before any event is walked:
    /// the ``TextRebuilder/mayHold(_:probe:)`` of every event is false unless a hex term's bytes occur in the hex
    /// column, a term occurs (letters folded) in the word column, a digits term meets a number or a time, or a
    /// template is opaque. A segment the Bloom filter picked falsely (~0.1% per segment, so several per GiB)
    /// then costs its decompression, not the compiling of its ~500 templates and the walk over its events.
    func segmentMayHold(templates: [UInt8], base: Int, bounds: [Range<Int>], choice: [UInt8], ints: [UInt8], hex: [UInt8],
                        times: [UInt8], strs: [UInt8], shared: BlockTemplates? = nil) -> Bool {
        if anyDigits, !ints.isEmpty || !times.isEmpty { return true }
        for t in terms {
            if let h = t.hex, Self.occurs(h, in: hex) { return true }
            if Self.occursFolded(t.bytes, in: strs) { return true }
        }
        let opaque = shared?.opaque(self, base: base, bounds: bounds) ?? opaqueTemplates(templates, base: base, bounds: bounds)
        guard opaque.contains(true) else { return false }
        guard shared != nil else { return true }
        // A block's templates (`LSG4`): only those this segment's events use.
        var c = ColumnCursor(choice)
        while !c.atEnd {
            guard let x = try? c.varint(), x < UInt64(opaque.count) else { return true }
            if opaque[Int(x)] { return true }
        }
        return false
    }

    /// Per template (`bounds`, offset by `base` in `column`), whether it may be opaque to these terms
    /// (``TextRebuilder/isOpaque(_:templates:probe:)``). Only where `memchr` finds a backslash, a time or a UUID
    /// marker byte: scanning every template's bytes was 29% of an id lookup over `LSG4` blocks. A byte found that
    /// is no marker (an operand, an escaped literal) can only mark a template that is not opaque, never miss one.
    func opaqueTemplates(_ column: [UInt8], base: Int, bounds: [Range<Int>]) -> [Bool] {
        var out = [Bool](repeating: false, count: bounds.count)
        column.withUnsafeBufferPointer { p in
            guard base <= p.count else { return }
            for b in [UInt8(0x5C), TextTemplate.time, TextTemplate.uuid] {
                TextRebuilder.forEach(b, in: p, base: base, bounds: bounds) { i, t in
                    guard !out[t] else { return }
                    if b == 0x5C { out[t] = true; return }
                    let end = base + bounds[t].upperBound
                    let next = i + (b == TextTemplate.time ? 4 : 1)
                    guard next <= end else { out[t] = true; return }
                    guard next < end else { return }
                    let d = p[next]
                    if d &- TextTemplate.escape < 7 {
                        if d != TextTemplate.escape { out[t] = true }
                    } else if TextTemplate.isAlnum(d) {
                        var e = next
                        while e < end, p[e] &- TextTemplate.escape >= 7, TextTemplate.isAlnum(p[e]) { e += 1 }
                        if e < end, p[e] &- TextTemplate.escape < 7 { out[t] = true; return }
                        if mayJoin(UnsafeBufferPointer(rebasing: p[next..<e]), uuid: b == TextTemplate.uuid) { out[t] = true }
                    }
                }
            }
        }
        return out
    }

    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        return haystack.withUnsafeBytes { h in
            needle.withUnsafeBytes { n in
                let base = h.baseAddress!, first = Int32(n[0]), m = n.count
                var at = 0
                while at <= h.count - m, let hit = memchr(base + at, first, h.count - m + 1 - at) {
                    if memcmp(hit, n.baseAddress!, m) == 0 { return true }
                    at = base.distance(to: UnsafeRawPointer(hit)) + 1
                }
                return false
            }
        }
    }

    /// `needle` (lower case) in `haystack` with its upper-case ASCII letters folded, as ``matchesWord(_:)`` compares.
    static func occursFolded(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        let m = needle.count
        guard m > 0, m <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let first = n[0]
                var i = 0
                while i <= h.count - m {
                    let c = h[i]
                    if c == first || c | (c &- 0x41 < 26 ? 0x20 : 0) == first {
                        var k = 1
                        while k < m {
                            let d = h[i + k]
                            guard d | (d &- 0x41 < 26 ? 0x20 : 0) == n[k] else { break }
                            k += 1
                        }
                        if k == m { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Whether a term is the end of a time (digits) or of a UUID (hex) followed by the letters and digits `run`.
    func mayJoin(_ run: UnsafeBufferPointer<UInt8>, uuid: Bool) -> Bool {
        terms.contains { t in
            let head = t.bytes.count - run.count
            guard head > 0 else { return false }
            for k in 0..<run.count where t.bytes[head + k] != run[k] | (run[k] &- 0x41 < 26 ? 0x20 : 0) { return false }
            return t.bytes[0..<head].allSatisfy(uuid ? TextTemplate.isLowerHex : TextTemplate.isDigit)
        }
    }
}
