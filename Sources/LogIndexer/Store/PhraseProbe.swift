#if canImport(Glibc)
import Glibc
#endif

/// Phrases every match must hold (`IndexPlan.requiredText`), prepared for template-encoded segments: a segment
/// rebuilds only the events whose text template can hold each phrase; the others come back empty (search on the
/// encoded form: a phrase search decoding a segment rebuilt all its ~1,000 texts).
///
/// A phrase is found where it does not cut a word (``TextMatcher``), so each of its runs of ASCII letters and digits
/// is a whole run of the text. A run without a digit is never a variable (``TextTemplate`` takes only runs with a
/// digit), so the phrase's parts between its runs with digits (`connection refused`; ` ago` and `took ` in
/// `took 5ms ago`) are literal bytes of the event's template, each within one literal. Only times and UUIDs write
/// separators from a variable (`-`, `:`, ` `): in a template with a time, the parts' words (digit-free runs) must
/// still be there (a time writes no digit-free run, and one next to it joins its digits); a UUID's groups may be
/// digit-free (`cafe`) and run on into letters, so a template with one may hold anything.
package struct PhraseProbe {
    /// The parts, ASCII-lower-cased; every one must occur in the template.
    let pieces: [[UInt8]]
    /// Their digit-free runs of ASCII letters and digits.
    let words: [[UInt8]]
    /// The words but month names, which a web server's time writes (`17/Nov/2026:10:00:00`).
    let wordsButMonths: [[UInt8]]

    /// Nil when no phrase has a part to look for (all digits), or one holds a marker byte (escaped in templates).
    package init?(_ phrases: [String]) {
        var out: [[UInt8]] = []
        for p in phrases {
            let b = TextMatcher.fold(Array(p.utf8))
            guard !b.contains(where: { $0 &- TextTemplate.escape < 7 }) else { return nil }
            var i = 0, piece: [UInt8] = []
            while i < b.count {
                guard TextTemplate.isAlnum(b[i]) else { piece.append(b[i]); i += 1; continue }
                var j = i
                while j < b.count, TextTemplate.isAlnum(b[j]) { j += 1 }
                if b[i..<j].contains(where: TextTemplate.isDigit) {
                    if !piece.isEmpty { out.append(piece) }
                    piece = []
                } else {
                    piece += b[i..<j]
                }
                i = j
            }
            if !piece.isEmpty { out.append(piece) }
        }
        guard !out.isEmpty else { return nil }
        pieces = out
        words = out.flatMap { $0.split(whereSeparator: { !TextTemplate.isAlnum($0) }).map(Array.init) }
        let months = TextTemplate.months.map { TextMatcher.fold($0) }
        wordsButMonths = words.filter { !months.contains($0) }
    }

    /// For each template of a segment (`bounds`, offset by `base`, in `column`), whether it may hold every phrase:
    /// 2 yes, 1 no. Only the templates where the longest of the words (but month names) occurs (``CaseFoldSearch``
    /// over the whole column), or a UUID marker byte (`memchr`), are looked at: a phrase search decoding a segment of
    /// ~500 templates looked through every one of them byte by byte.
    func holding(_ column: UnsafeBufferPointer<UInt8>, base: Int, bounds: [Range<Int>]) -> [UInt8] {
        var out = [UInt8](repeating: 1, count: bounds.count)
        func template(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: column[(base + r.lowerBound)..<(base + r.upperBound)])
        }
        // Every template that may hold the phrases holds this word literally (a web server's time writes month names).
        guard let key = wordsButMonths.max(by: { $0.count < $1.count }) else {
            for (t, r) in bounds.enumerated() where mayHold(template: template(r)) { out[t] = 2 }
            return out
        }
        func check(_ t: Int) {
            guard out[t] == 1 else { return }
            out[t] = mayHold(template: template(bounds[t])) ? 2 : 0
        }
        // Hits come in order: the template holding one is found by stepping on, as `TextRebuilder.forEach` does.
        var from = base, t = 0
        while let at = CaseFoldSearch.next(key, in: column, from: from) {
            while t < bounds.count, bounds[t].upperBound <= at - base { t += 1 }
            guard t < bounds.count else { break }
            check(t)
            // The rest of this template is decided.
            from = max(at + 1, base + bounds[t].upperBound)
        }
        TextRebuilder.forEach(TextTemplate.uuid, in: column, base: base, bounds: bounds) { _, t in check(t); return true }
        // 0: looked at and not held.
        for t in out.indices where out[t] == 0 { out[t] = 1 }
        return out
    }

    /// Whether the template `bytes` (its literal bytes and markers) may hold every phrase. Looking through the raw
    /// bytes (markers, their operands) can only find more, never miss a part that a literal holds.
    func mayHold(template bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = bytes.baseAddress else { return false }
        if memchr(start, Int32(TextTemplate.uuid), bytes.count) != nil { return true }
        var time = false, webTime = false
        var at = 0
        while at < bytes.count, let hit = memchr(start + at, Int32(TextTemplate.time), bytes.count - at) {
            let i = UnsafeRawPointer(start).distance(to: UnsafeRawPointer(hit))
            time = true
            if i + 1 < bytes.count, bytes[i + 1] & 0xF0 == TextTemplate.webTime { webTime = true; break }
            at = i + 1
        }
        return (webTime ? wordsButMonths : time ? words : pieces).allSatisfy { CaseFoldSearch.next($0, in: bytes, from: 0) != nil }
    }
}
