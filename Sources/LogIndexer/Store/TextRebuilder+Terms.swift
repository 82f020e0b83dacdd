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
    /// Whether template `t` can hold a term only through its variables one by one. Not so when a literal holds a
    /// backslash (the index also takes the words of unescaped JSON and logfmt values) or a time or UUID runs on
    /// into letters, digits or another variable (one index term across two parts).
    mutating func isOpaque(_ t: Int, templates: UnsafeBufferPointer<UInt8>) throws -> Bool {
        let r = try program(t)
        for k in r {
            let step = steps[k]
            if step.kind == Step.literal {
                if UnsafeBufferPointer(rebasing: templates[Int(step.start)..<Int(step.end)]).contains(0x5C) { return true }
            } else if step.kind == Step.time || step.kind == Step.uuid, k + 1 < r.upperBound {
                let next = steps[k + 1]
                if next.kind != Step.literal || TextTemplate.isAlnum(templates[Int(next.start)]) { return true }
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
