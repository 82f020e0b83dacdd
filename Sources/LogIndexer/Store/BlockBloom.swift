/// A Bloom filter over a block's identifier-like terms (request ids, trace ids, hashes, long numbers).
///
/// 20 bits per distinct identifier and 10 probes (a false positive in ~11,000 segments): each false positive costs a
/// segment decode, ~0.5 ms of an id lookup. At 14 bits and 7 probes (1 in ~650; filters written before `LSB3`)
/// an id lookup at 1 GiB decoded ~6 segments for its 1 or 2 that held the id, and the extra decodes grew with the
/// data; the filters cost 0.54% of raw then, 0.77% now (still a fraction of an inverted-index entry per unique id).
struct BlockBloom {
    static let bitsPerItem = 20
    static let probes = 10
    /// What filters written before `LSB3` used.
    static let legacyProbes = 7

    private(set) var bits: [UInt8]

    /// Builds the filter for `hashes` (duplicates are fine); nil when there are none. Sized by the distinct ones: an
    /// id met on many lines (a pod's name, a trace's id) is one item (sized by every occurrence, the filters of the
    /// 128 MiB benchmark workload took 22% more bytes for the same 14 bits an id).
    init?(hashes: [UInt64], bitsPerItem: Int = BlockBloom.bitsPerItem, probes: Int = BlockBloom.probes) {
        guard !hashes.isEmpty else { return nil }
        let m = max(64, (BlockBloom.distinctCount(hashes) * bitsPerItem + 7) / 8 * 8)
        bits = [UInt8](repeating: 0, count: m / 8)
        bits.withUnsafeMutableBufferPointer { b in
            let mBits = UInt64(b.count * 8)
            for h in hashes {
                let h1 = h, h2 = (h >> 32) | (h << 32) | 1
                for i in 0..<UInt64(probes) {
                    let bit = (h1 &+ i &* h2) % mBits
                    b[Int(bit >> 3)] |= 1 << UInt8(bit & 7)
                }
            }
        }
    }

    /// How many distinct values `hashes` holds (an open-addressing set; 0 stands for itself in a flag).
    static func distinctCount(_ hashes: [UInt64]) -> Int {
        var size = 16
        while size < hashes.count * 2 { size <<= 1 }
        var slots = [UInt64](repeating: 0, count: size)
        var distinct = 0, zero = false
        slots.withUnsafeMutableBufferPointer { s in
            let mask = size - 1
            for h in hashes {
                if h == 0 {
                    if !zero { zero = true; distinct += 1 }
                    continue
                }
                var k = Int(truncatingIfNeeded: h >> 7) & mask
                while s[k] != 0, s[k] != h { k = (k + 1) & mask }
                if s[k] == 0 { s[k] = h; distinct += 1 }
            }
        }
        return distinct
    }

    /// May the filter stored as `bytes` hold a term with this hash? (false means certainly not)
    static func mayContain(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, probes: Int = BlockBloom.probes) -> Bool {
        guard bytes.count > 0 else { return false }
        let mBits = UInt64(bytes.count * 8)
        let h2 = (h >> 32) | (h << 32) | 1
        for i in 0..<UInt64(probes) {
            let bit = (h &+ i &* h2) % mBits
            if bytes[Int(bit >> 3)] & (1 << UInt8(bit & 7)) == 0 { return false }
        }
        return true
    }
}

/// The `ids` column of a segmented block: one Bloom filter per text segment, so that an identifier
/// lookup decompresses only the segments that may hold it.
///
///     "LSB3" | probes (one byte) | varint segment count | per segment: varint filter length | the filters
///
/// `LSB2` (written before 20 bits an id) has no probes byte and 7 probes. A column without either magic is a
/// whole-block filter (blocks written before segmenting), 7 probes.
package enum SegmentBlooms {
    static let magic: [UInt8] = Array("LSB3".utf8)
    static let legacyMagic: [UInt8] = Array("LSB2".utf8)

    package enum Candidates: Equatable { case none, whole, segments([Int]) }

    /// `slices[k]`: the identifier hashes of segment k. Nil when no segment has any.
    package static func encode(_ slices: [ArraySlice<UInt64>]) -> [UInt8]? {
        guard slices.contains(where: { !$0.isEmpty }) else { return nil }
        let filters = slices.map { BlockBloom(hashes: Array($0))?.bits ?? [] }
        var out = magic
        out.append(UInt8(BlockBloom.probes))
        BlockCodec.putVarint(UInt64(filters.count), &out)
        for f in filters { BlockCodec.putVarint(UInt64(f.count), &out) }
        for f in filters { out += f }
        return out
    }

    /// Which parts of a block may hold every one of `hashes`.
    package static func candidates(_ bytes: UnsafeRawBufferPointer, hashes: [UInt64]) -> Candidates {
        guard !hashes.isEmpty else { return .whole }
        var i = 4, probes = BlockBloom.legacyProbes
        if bytes.count >= 5, bytes.prefix(4).elementsEqual(magic) {
            probes = Int(bytes[4])
            guard probes > 0, probes <= 64 else { return .whole }
            i = 5
        } else if !(bytes.count >= 4 && bytes.prefix(4).elementsEqual(legacyMagic)) {
            return hashes.allSatisfy { BlockBloom.mayContain(bytes, hash: $0, probes: probes) } ? .whole : .none
        }
        func varint() -> Int? {
            var v = 0, shift = 0
            while i < bytes.count, shift < 63 {
                let c = bytes[i]
                i += 1
                v |= Int(c & 0x7F) << shift
                if c < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        guard let n = varint(), n > 0, n < 1 << 20 else { return .whole }
        var lens: [Int] = []
        for _ in 0..<n { guard let l = varint(), l <= bytes.count else { return .whole }; lens.append(l) }
        guard lens.reduce(i, +) == bytes.count else { return .whole }
        var out: [Int] = []
        var at = i
        for (k, l) in lens.enumerated() {
            let f = UnsafeRawBufferPointer(rebasing: bytes[at..<(at + l)])
            if hashes.allSatisfy({ BlockBloom.mayContain(f, hash: $0, probes: probes) }) { out.append(k) }
            at += l
        }
        return out.isEmpty ? .none : .segments(out)
    }
}
