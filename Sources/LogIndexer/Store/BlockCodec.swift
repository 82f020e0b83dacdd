package import LogCore

/// The error for stored bytes that do not decode: never wrong data instead.
func corruptBlock(_ what: String) -> StoreError { StoreError(code: 11, message: "corrupt block: \(what)", sql: nil) }

/// The on-disk layout of a block before compression: columns, so that like compresses with like.
///
///     u8 version(1) | varint count
///     zigzag-varint first timestamp, then zigzag-varint deltas
///     count bytes of level | count bytes of format | count x u64 LE template ids | count varints of flags
///     count varints of text length | all texts, concatenated
package enum BlockCodec {
    static let version: UInt8 = 1

    package static func encode(_ b: EventBlock, into out: inout [UInt8]) {
        encode(b, events: 0..<b.count, textStart: 0, into: &out)
    }

    /// Encodes the events in `events` alone (a segment), whose texts start at `textStart` in `b.bodies`.
    static func encode(_ b: EventBlock, events r: Range<Int>, textStart: Int, into out: inout [UInt8]) {
        var textBytes = 0
        for i in r { textBytes += Int(b.lengths[i]) }
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(textBytes + r.count * 16 + 16)
        out.append(version)
        putVarint(UInt64(r.count), &out)
        var prev: Int64 = 0
        for t in b.timestamps[r] {
            let d = t &- prev
            putVarint(zigzag(d), &out)
            prev = t
        }
        out.append(contentsOf: b.levels[r])
        out.append(contentsOf: b.formats[r])
        for t in b.templates[r] { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: t >> (8 * UInt64(k)))) } }
        for f in b.flags[r] { putVarint(UInt64(f), &out) }
        for l in b.lengths[r] { putVarint(UInt64(l), &out) }
        out.append(contentsOf: b.bodies[textStart..<(textStart + textBytes)])
    }

    /// Zigzag form of a signed value (small magnitudes, either sign, give small varints), and back.
    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inline(__always)
    static func unzigzag(_ z: UInt64) -> Int64 { Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))) }

    /// Reads the varint at `i` of `bytes` and moves `i` past it; a varint that runs off the end or past 64 bits
    /// is a corrupt block. Every reader of the store's layouts goes through it.
    @inline(__always)
    static func getVarint<C: RandomAccessCollection<UInt8>>(_ bytes: C, at i: inout Int) throws -> UInt64 where C.Index == Int {
        var v: UInt64 = 0, shift: UInt64 = 0
        while i < bytes.endIndex {
            let c = bytes[i]
            i += 1
            v |= UInt64(c & 0x7F) << shift
            if c < 0x80 { return v }
            shift += 7
            if shift > 63 { break }
        }
        throw corruptBlock("bad varint")
    }

    /// A varint that is a count, length or index: at most `Int32.max`.
    @inline(__always)
    static func getCount<C: RandomAccessCollection<UInt8>>(_ bytes: C, at i: inout Int) throws -> Int where C.Index == Int {
        let v = try getVarint(bytes, at: &i)
        guard v <= UInt64(Int32.max) else { throw corruptBlock("bad varint") }
        return Int(v)
    }

    @inline(__always)
    static func putVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Decodes a block; throws on any inconsistency rather than returning wrong data.
    package static func decode(_ input: consuming [UInt8], labels: StreamLabels, day: Int32) throws -> EventBlock {
        var p = input
        var b = EventBlock(labels: labels, day: day)
        var i = 0
        func varint() throws -> UInt64 { try getVarint(p, at: &i) }
        guard p.first == version else { throw corruptBlock("unknown version") }
        i = 1
        // Checked before it becomes an Int: a count of 2^63 or more would trap in the conversion.
        let count = try varint()
        guard count <= UInt64(p.count) else { throw corruptBlock("bad count") }
        let n = Int(count)
        b.timestamps.reserveCapacity(n)
        var prev: Int64 = 0
        for _ in 0..<n {
            let z = try varint()
            let d = unzigzag(z)
            prev = prev &+ d
            b.timestamps.append(prev)
        }
        guard i + 2 * n <= p.count else { throw corruptBlock("short columns") }
        b.levels = Array(p[i..<(i + n)]); i += n
        b.formats = Array(p[(i)..<(i + n)]); i += n
        guard i + 8 * n <= p.count else { throw corruptBlock("short template column") }
        b.templates.reserveCapacity(n)
        for _ in 0..<n {
            var t: UInt64 = 0
            for k in 0..<8 { t |= UInt64(p[i + k]) << (8 * UInt64(k)) }
            b.templates.append(t)
            i += 8
        }
        b.flags.reserveCapacity(n)
        for _ in 0..<n { b.flags.append(UInt16(truncatingIfNeeded: try varint())) }
        b.lengths.reserveCapacity(n)
        var total = 0
        for _ in 0..<n {
            let l = try varint()
            guard l <= UInt64(p.count) else { throw corruptBlock("bad length") }
            b.lengths.append(UInt32(l))
            total += Int(l)
        }
        guard i + total == p.count else { throw corruptBlock("text size mismatch") }
        // The texts are the tail of the payload: move them to the front in place rather than copy them to a
        // new array (a fresh 4 MiB allocation costs a page fault per 4 KiB on first touch).
        p.removeSubrange(0..<i)
        b.bodies = p
        return b
    }
}

/// The distinct word terms of a block, collected without a heap allocation per term, and the hashes of
/// its identifier-like terms.
package struct TermSet {
    private var arena: [UInt8] = []
    /// Open-addressing table of (offset << 8 | length) + 1; 0 is empty.
    private var table: [Int] = Array(repeating: 0, count: 1 << 14)
    private var used = 0
    /// Hashes of identifier-like terms, for the block's Bloom filter.
    package private(set) var identifierHashes: [UInt64] = []

    package init() {}

    mutating func reset() {
        arena.removeAll(keepingCapacity: true)
        identifierHashes.removeAll(keepingCapacity: true)
        if used > 0 { for i in table.indices { table[i] = 0 } }
        used = 0
    }

    /// Adds every term of `text`.
    package mutating func addTerms(of text: UnsafeBufferPointer<UInt8>) {
        Tokenizer.forEachTerm(in: text) { term in
            switch Tokenizer.index(of: term) {
            case .word: insert(term)
            case .identifier: identifierHashes.append(Tokenizer.hash(term))
            case .none: break
            }
        }
    }

    /// Adds every term of an event's text and, when it holds escapes, the terms of its values as the search
    /// reads them (``EventFields``: JSON strings unescaped, quoted logfmt values unquoted). A `field:value`
    /// search asks the index for the words of the value: `{"msg":"step one\nfailed"}` holds the word `failed`
    /// only once unescaped (its text has `nfailed`), and `"caf\u00e9"` holds `café` only so.
    package mutating func addTerms(of text: UnsafeBufferPointer<UInt8>, format: UInt8) {
        addTerms(of: text)
        guard text.contains(0x5C) else { return }
        switch BodyFormat(rawValue: format) {
        case .json?:
            let unescaped = ByteBuffer(capacity: text.count)
            JSONScanner.unescape(text, into: unescaped)
            addTerms(of: unescaped.bytes)
        case .logfmt?, .plain?, .ci?:
            var unquoted = LogfmtScanner.unquote(text)
            unquoted.withUTF8 { addTerms(of: $0) }
        default:
            break
        }
    }

    /// FNV-1a, folded to a table slot.
    @inline(__always)
    private static func slot<C: Collection<UInt8>>(_ bytes: C, mask: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
    }

    @inline(__always)
    private mutating func insert(_ term: UnsafeBufferPointer<UInt8>) {
        let mask = table.count - 1
        var slot = TermSet.slot(term, mask: mask)
        while true {
            let e = table[slot]
            if e == 0 { break }
            let off = (e - 1) >> 8, len = (e - 1) & 0xFF
            if len == term.count, arena.withUnsafeBufferPointer({ a in memcmpEqual(a, off, term) }) { return }
            slot = (slot + 1) & mask
        }
        if arena.count > 0 { arena.append(0x20) }
        table[slot] = (arena.count << 8 | term.count) + 1
        arena.append(contentsOf: term)
        used += 1
        if used * 2 > table.count { rehash() }
    }

    @inline(__always)
    private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ off: Int, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<t.count where a[off + k] != t[k] { return false }
        return true
    }

    private mutating func rehash() {
        let old = table
        table = Array(repeating: 0, count: old.count * 2)
        let mask = table.count - 1
        for e in old where e != 0 {
            let off = (e - 1) >> 8, len = (e - 1) & 0xFF
            var slot = TermSet.slot(arena[off..<(off + len)], mask: mask)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = e
        }
    }

    /// The terms separated by spaces, as FTS5's `ascii` tokenizer reads them back.
    package var text: [UInt8] { arena }
    var count: Int { used }
}
