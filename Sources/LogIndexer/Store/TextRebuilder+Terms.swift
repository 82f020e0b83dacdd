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

    /// Reads past the variables of one event of template `t` (an event a search does not need rebuilt), by the
    /// template's ``Shape``: a template is compiled only for an event that is rebuilt or checked term by term.
    mutating func skip(_ t: Int) throws {
        let s = try shape(t)
        try ints.skipVarints(Int(s.ints))
        try hex.skip(Int(s.hexBytes))
        try times.skipVarints(Int(s.times))
        try strs.skipWords(Int(s.words))
    }

    /// The columns' read positions, to come back to an event after ``mayHold``.
    var positions: (Int, Int, Int, Int) {
        get { (ints.at, hex.at, times.at, strs.at) }
        set { (ints.at, hex.at, times.at, strs.at) = newValue }
    }
}

extension TermProbe {
    /// Per template (`bounds`, offset by `base` in `column`), whether it may be opaque to these terms
    /// (``TextRebuilder/isOpaque(_:templates:probe:)``). Only where `memchr` finds a backslash, a time or a UUID
    /// marker byte: scanning every template's bytes was 29% of an id lookup over `LSG4` blocks. A byte found that
    /// is no marker (an operand, an escaped literal) can only mark a template that is not opaque, never miss one.
    func opaqueTemplates(_ column: [UInt8], base: Int, bounds: [Range<Int>]) -> [Bool] {
        var out = [Bool](repeating: false, count: bounds.count)
        column.withUnsafeBufferPointer { p in
            guard base <= p.count else { return }
            for b in [UInt8(0x5C), TextTemplate.time, TextTemplate.uuid] {
                // A template found opaque is passed over.
                TextRebuilder.forEach(b, in: p, base: base, bounds: bounds) { i, t in
                    guard !out[t] else { return true }
                    if b == 0x5C { out[t] = true; return true }
                    let end = base + bounds[t].upperBound
                    let next = i + (b == TextTemplate.time ? 4 : 1)
                    guard next <= end else { out[t] = true; return true }
                    guard next < end else { return false }
                    let d = p[next]
                    if d &- TextTemplate.escape < 7 {
                        if d != TextTemplate.escape { out[t] = true }
                    } else if TextTemplate.isAlnum(d) {
                        var e = next
                        while e < end, p[e] &- TextTemplate.escape >= 7, TextTemplate.isAlnum(p[e]) { e += 1 }
                        if e < end, p[e] &- TextTemplate.escape < 7 { out[t] = true; return true }
                        if mayJoin(UnsafeBufferPointer(rebasing: p[next..<e]), uuid: b == TextTemplate.uuid) { out[t] = true }
                    }
                    return out[t]
                }
            }
        }
        return out
    }

    /// The offsets of every occurrence of `needle` in `haystack`, overlapping ones too; with `folded`, of
    /// `needle` (lower case) in `haystack` with its upper-case ASCII letters folded, as ``matchesWord(_:)`` compares.
    static func offsets(of needle: [UInt8], in haystack: [UInt8], folded: Bool, into out: inout [Int]) {
        let m = needle.count
        guard m > 0, m <= haystack.count else { return }
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = UnsafeRawPointer(h.baseAddress!)
                guard !folded else {
                    for i in 0...(h.count - m) {
                        var k = 0
                        while k < m {
                            let d = h[i + k]
                            guard d | (d &- 0x41 < 26 ? 0x20 : 0) == n[k] else { break }
                            k += 1
                        }
                        if k == m { out.append(i) }
                    }
                    return
                }
                var at = 0
                while at <= h.count - m, let hit = memchr(base + at, Int32(n[0]), h.count - m + 1 - at) {
                    let i = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(hit, n.baseAddress!, m) == 0 { out.append(i) }
                    at = i + 1
                }
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

/// Where one segment's variables may form a ``TermProbe``'s terms, found in its whole columns before any event is
/// walked: a hex term's bytes in the hex column, a term (letters folded) in the word column, and the events whose
/// template may be opaque to the terms. The walk then passes over every other event by its template's
/// ``TextRebuilder/Shape``, without compiling the template, and stops after the last place that may hold a term.
/// A segment the Bloom filter picked falsely (~0.1% per segment, so several per GiB) costs only its decompression.
struct ProbeHits {
    /// Offsets in the hex column and in the word column, ascending.
    private var hex: [Int] = [], words: [Int] = []
    private var nextHex = 0, nextWord = 0
    /// The last event whose template may be opaque to the terms (-1: none).
    let lastOpaque: Int
    /// A digits term can be formed by any number or time: then every event is checked one by one.
    let digits: Bool
    /// Whether the segment's numbers or times are not empty.
    private let numbers: Bool

    /// `opaque`: per template of the block (``TermProbe/opaqueTemplates(_:base:bounds:)``); `chosen`: each event's.
    init(_ probe: TermProbe, hex hexColumn: [UInt8], strs: [UInt8], ints: [UInt8], times: [UInt8], opaque: [Bool], chosen: [Int32]) {
        for t in probe.terms {
            if let h = t.hex { TermProbe.offsets(of: h, in: hexColumn, folded: false, into: &hex) }
            TermProbe.offsets(of: t.bytes, in: strs, folded: true, into: &words)
        }
        if probe.terms.count > 1 {
            hex.sort()
            words.sort()
        }
        lastOpaque = chosen.lastIndex { opaque[Int($0)] } ?? -1
        digits = probe.anyDigits
        numbers = !ints.isEmpty || !times.isEmpty
    }

    /// Whether any event of the segment may hold one of the terms.
    var any: Bool { digits && numbers || !hex.isEmpty || !words.isEmpty || lastOpaque >= 0 }

    /// Whether no event from `event` on, its hex and word columns read up to `hexAt` and `wordsAt`, can hold a term.
    func passed(event: Int, hexAt: Int, wordsAt: Int) -> Bool {
        !digits && event > lastOpaque && (hex.last.map { hexAt > $0 } ?? true) && (words.last.map { wordsAt > $0 } ?? true)
    }

    /// Whether an event that read hex bytes `h` and word column bytes `w` may hold a term; called in event order.
    mutating func touches(hex h: Range<Int>, words w: Range<Int>) -> Bool {
        while nextHex < hex.count, hex[nextHex] < h.lowerBound { nextHex += 1 }
        while nextWord < words.count, words[nextWord] < w.lowerBound { nextWord += 1 }
        return nextHex < hex.count && hex[nextHex] < h.upperBound || nextWord < words.count && words[nextWord] < w.upperBound
    }
}
