import LogCore
#if canImport(Glibc)
import Glibc
#endif

/// A compiled ``TextPattern``: matches event text the way users expect from a log search box.
///
/// A phrase matches where it occurs case-insensitively (ASCII) and does not cut a word in two: `error`
/// finds "ERROR:" and "an error" but not "errors" or "terror". A wildcard pattern made only of word
/// characters matches whole words (`err*` finds "errors"); one that holds other characters (`/api/*/items`)
/// matches anywhere in the text. Field values (labels, structured fields) must match as a whole.
public struct TextMatcher: Sendable {
    let needle: [UInt8]
    let parts: [[UInt8]]
    let isWildcard: Bool
    let wordLevel: Bool

    public init(_ pattern: TextPattern) {
        switch pattern {
        case .phrase(let s):
            needle = TextMatcher.fold(Array(s.utf8))
            parts = []
            isWildcard = false
            wordLevel = false
        case .wildcard(let ps):
            parts = ps.map { TextMatcher.fold(Array($0.utf8)) }
            needle = []
            isWildcard = true
            wordLevel = ps.allSatisfy { $0.utf8.allSatisfy { Tokenizer.isTermByte[Int($0)] } }
        }
    }

    static func fold(_ b: [UInt8]) -> [UInt8] { b.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 } }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// Does the pattern occur in `text` (free text, `message`)?
    public func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        if !isWildcard { return TextMatcher.find(needle, in: text, from: 0, bounded: true) != nil }
        if parts.allSatisfy(\.isEmpty) { return true }
        if wordLevel {
            var found = false
            Tokenizer.forEachTerm(in: text) { term in
                if !found, TextMatcher.glob(parts, term) { found = true }
            }
            return found
        }
        var p = parts
        if p.first?.isEmpty == false { p.insert([], at: 0) }
        if p.last?.isEmpty == false { p.append([]) }
        return TextMatcher.glob(p, text)
    }

    /// Does the pattern match `value` as a whole (labels, structured field values)?
    public func matchesWhole(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if !isWildcard {
            guard value.count == needle.count else {
                // A phrase also matches a field value that contains it as words ("connection refused" in a msg).
                return value.count > needle.count && TextMatcher.find(needle, in: value, from: 0, bounded: true) != nil
            }
            for i in 0..<needle.count where TextMatcher.lower(value[i]) != needle[i] { return false }
            return true
        }
        return TextMatcher.glob(parts, value)
    }

    public func matchesWhole(_ value: String) -> Bool {
        var v = value
        return v.withUTF8 { matchesWhole($0) }
    }

    /// First case-insensitive occurrence of `needle` (already folded) at or after `from`; with `bounded`,
    /// only occurrences that do not split a word.
    static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, bounded: Bool) -> Int? {
        let n = needle.count, m = text.count
        guard n > 0 else { return 0 }
        guard n <= m else { return nil }
        let first = needle[0]
        let needStart = bounded && Tokenizer.isTermByte[Int(first)]
        let needEnd = bounded && Tokenizer.isTermByte[Int(needle[n - 1])]
        // Whether the occurrence at `at` cuts no word (when `bounded`).
        func whole(_ at: Int) -> Bool {
            (!needStart || at == 0 || !Tokenizer.isTermByte[Int(text[at - 1])])
                && (!needEnd || at + n == m || !Tokenizer.isTermByte[Int(text[at + n])])
        }
        // A byte of the needle that has no case (digit, punctuation) but is not a space: memchr jumps to its occurrences.
        if let j = needle.firstIndex(where: { !($0 >= 97 && $0 <= 122) && $0 != 0x20 }), let base = text.baseAddress {
            return needle.withUnsafeBufferPointer { nd in
                var i = from
                let last = m - n
                while i <= last {
                    guard let hit = memchr(base + i + j, Int32(nd[j]), last - i + 1) else { return nil }
                    let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base - j
                    var k = 0
                    while k < n, lower(text[at + k]) == nd[k] { k += 1 }
                    if k == n, whole(at) { return at }
                    i = at + 1
                }
                return nil
            }
        }
        // Letters and spaces: eight positions at a time by the first two bytes (``CaseFoldSearch``).
        return needle.withUnsafeBufferPointer { nd in
            var i = from
            while let at = CaseFoldSearch.next(nd, in: text, from: i) {
                if whole(at) { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// Glob match of the whole `text` against `parts` separated by `*`, case-insensitive.
    static func glob(_ parts: [[UInt8]], _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if parts.count == 1 {
            let p = parts[0]
            guard p.count == text.count else { return false }
            for i in 0..<p.count where lower(text[i]) != p[i] { return false }
            return true
        }
        // Anchored first piece, anchored last piece, greedy-leftmost middle pieces: linear, no backtracking.
        let head = parts[0], tail = parts[parts.count - 1]
        guard head.count + tail.count <= text.count else { return false }
        for i in 0..<head.count where lower(text[i]) != head[i] { return false }
        let tailStart = text.count - tail.count
        for i in 0..<tail.count where lower(text[tailStart + i]) != tail[i] { return false }
        var pos = head.count
        let middle = UnsafeBufferPointer(rebasing: text[0..<tailStart])
        for piece in parts[1..<(parts.count - 1)] where !piece.isEmpty {
            guard let at = find(piece, in: middle, from: pos, bounded: false) else { return false }
            pos = at + piece.count
        }
        return true
    }
}
