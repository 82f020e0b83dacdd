/// Splits text into the terms the full-text index holds.
///
/// A term is a run of ASCII letters and digits or of non-ASCII bytes; every other ASCII byte separates
/// terms. ASCII letters are lower-cased. This is exactly what SQLite FTS5's `ascii` tokenizer does, so the
/// index built from our terms and the queries built from our terms agree. Dotted names, paths, IPs and
/// UUIDs are found by their parts; the query layer checks whole values against the stored text.
public enum Tokenizer {
    /// Terms longer than this are cut to their first `maxTermLength` bytes, in the index and in queries alike,
    /// so base64 blobs and long hex ids cost little index space and are still found.
    public static let maxTermLength = 64

    /// Lookup: 1 for term bytes, 0 for separators.
    public static let isTermByte: [Bool] = (0..<256).map { b in
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 128
    }

    /// Identifier-like terms (request and trace ids, hashes, long numbers) go to a per-block Bloom filter
    /// instead of the inverted index: nearly every one is unique, so indexing them would cost an index entry
    /// each. A term is identifier-like when it has at least 8 bytes and holds a digit (or is 6+ digits).
    @inline(__always)
    public static func isIdentifierLike(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        guard n >= 6 else { return false }
        var digits = 0
        for b in t where b >= 48 && b <= 57 { digits += 1 }
        return (n >= 8 && digits > 0) || digits == n
    }

    public static func isIdentifierLike(_ term: String) -> Bool {
        var s = term
        return s.withUTF8 { isIdentifierLike($0) }
    }

    /// Whether a term goes to the full-text index: a word without digits, one of up to 3 bytes (`200`, `v2`), or one
    /// mostly of letters (`log4j`, `utf8`, `oauth2`). Other terms with digits that are not identifier-like (ports,
    /// sizes, durations like `11ms`, a UUID's inner groups, fractions of seconds) are in no index: on the 128 MiB
    /// benchmark workload they were 98% of each day's terms and 82% of the index's bytes, nearly each in a block
    /// or two. A search for one reads the blocks that its other terms, its time range and labels pick.
    @inline(__always)
    public static func isIndexedWord(_ t: UnsafeBufferPointer<UInt8>) -> Bool { index(of: t) == .word }

    public static func isIndexedWord(_ term: String) -> Bool {
        var s = term
        return s.withUTF8 { isIndexedWord($0) }
    }

    /// Where a term is indexed: the full-text index (``isIndexedWord(_:)``), the Bloom filters
    /// (``isIdentifierLike(_:)``), or neither. One pass over the term (ingest asks for every term).
    public enum Index { case word, identifier, none }

    @inline(__always)
    public static func index(of t: UnsafeBufferPointer<UInt8>) -> Index {
        let n = t.count
        var digits = 0, i = 0
        while i < n {
            if t[i] &- 48 < 10 { digits += 1 }
            i += 1
        }
        if digits == 0 { return .word }
        if n >= 8 || n >= 6 && digits == n { return .identifier }
        return n <= 3 || digits * 2 < n ? .word : .none
    }

    /// A 64-bit hash of a term (FNV-1a then a finaliser), used for Bloom filters.
    @inline(__always)
    public static func hash(_ t: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in t { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    public static func hash(_ term: String) -> UInt64 {
        var s = term
        return s.withUTF8 { hash($0) }
    }

    /// Each byte lower-cased when it is a term byte, 0 for a separator (0 itself separates).
    static let foldedTermByte: [UInt8] = (0..<256).map { (b: Int) -> UInt8 in
        guard isTermByte[b] else { return 0 }
        return b >= 65 && b <= 90 ? UInt8(b | 0x20) : UInt8(b)
    }

    /// Calls `body` with each term of `text` (lower-cased, as a buffer valid only during the call).
    /// One table lookup per byte tells a separator from a term byte and folds its case; the loops read through
    /// raw pointers (this runs over every stored byte on the writer thread).
    @inline(__always)
    public static func forEachTerm(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let n = text.count
        guard n > 0, let p = text.baseAddress else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxTermLength) { fold in
            let folded = fold.baseAddress!
            foldedTermByte.withUnsafeBufferPointer { table in
                let t = table.baseAddress!
                var i = 0
                while i < n {
                    while i < n, t[Int(p[i])] == 0 { i += 1 }
                    guard i < n else { return }
                    var len = 0
                    while i < n {
                        let f = t[Int(p[i])]
                        if f == 0 { break }
                        if len < maxTermLength { folded[len] = f; len += 1 }
                        i += 1
                    }
                    body(UnsafeBufferPointer(start: folded, count: len))
                }
            }
        }
    }

    /// The terms of a string, lower-cased, in order (used for queries). A term cut at ``maxTermLength`` inside a
    /// multi-byte character ends before that character: it stays text (no U+FFFD), and is a prefix of the
    /// indexed term, which keeps the character's first bytes (see ``mayBeCut(_:)``).
    public static func terms(of text: String) -> [String] {
        var out: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buf in
            forEachTerm(in: UnsafeBufferPointer(buf)) { t in
                var n = t.count
                if n == maxTermLength {
                    var lead = n - 1
                    while lead > 0, t[lead] & 0xC0 == 0x80 { lead -= 1 }
                    let need = t[lead] >= 0xF0 ? 4 : t[lead] >= 0xE0 ? 3 : t[lead] >= 0xC0 ? 2 : 1
                    if n - lead < need { n = lead }
                }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: t[0..<n]), as: UTF8.self))
            }
        }
        return out
    }

    /// True when a term from ``terms(of:)`` may stand for a longer indexed term: one cut at ``maxTermLength``
    /// inside a character, whose index form holds that character's first bytes. Search it as a prefix.
    public static func mayBeCut(_ term: String) -> Bool { term.utf8.count > maxTermLength - 4 }
}
