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
    /// `minBits`: the smallest filter (a bucket's filter, ``BucketBlooms``, often holds one or two ids).
    /// `mixed`: probes from ``mixedProbe`` (bucket rows), else by double hashing (every earlier filter).
    init?(hashes: [UInt64], bitsPerItem: Int = BlockBloom.bitsPerItem, probes: Int = BlockBloom.probes, minBits: Int = 64, mixed: Bool = false) {
        guard !hashes.isEmpty else { return nil }
        let m = max(minBits, (BlockBloom.distinctCount(hashes) * bitsPerItem + 7) / 8 * 8)
        bits = [UInt8](repeating: 0, count: m / 8)
        bits.withUnsafeMutableBufferPointer { b in
            let mBits = UInt64(b.count * 8)
            if mixed {
                for h in hashes {
                    var x = h
                    for _ in 0..<probes {
                        let bit = Self.mixedProbe(&x, mBits)
                        b[Int(bit >> 3)] |= 1 << UInt8(bit & 7)
                    }
                }
                return
            }
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

    /// The next probe of a filter of `m` bits: a SplitMix64 step from `x`, mapped onto the bits by a multiply. Double
    /// hashing (`h + i * h2` modulo `m`) draws arithmetic progressions that overlap for like hashes when `m` is small:
    /// bucket rows' filters of ~500 bits passed 2× (~20 ids) to 6× (1 or 2 ids) more absent ids than theory.
    @inline(__always)
    static func mixedProbe(_ x: inout UInt64, _ m: UInt64) -> UInt64 {
        x = x &+ 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z.multipliedFullWidth(by: m).high
    }

    /// ``mayContain(_:hash:probes:)`` for filters built `mixed`.
    static func mayContainMixed(_ bytes: UnsafeRawBufferPointer, hash h: UInt64, probes: Int) -> Bool {
        guard bytes.count > 0 else { return false }
        let mBits = UInt64(bytes.count * 8)
        var x = h
        for _ in 0..<probes {
            let bit = mixedProbe(&x, mBits)
            if bytes[Int(bit >> 3)] & (1 << UInt8(bit & 7)) == 0 { return false }
        }
        return true
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
        return perSegment(bytes, from: i, probes: probes, hashes: hashes)
    }

    /// The segments whose filters (``forEachFilter(_:from:_:)``) may hold every one of `hashes`; `.whole` when the
    /// bytes do not parse (the block is then decoded, never skipped).
    static func perSegment(_ bytes: UnsafeRawBufferPointer, from start: Int, probes: Int, hashes: [UInt64], mixed: Bool = false) -> Candidates {
        var out: [Int] = []
        let parsed = forEachFilter(bytes, from: start) { k, f in
            if hashes.allSatisfy({ mixed ? BlockBloom.mayContainMixed(f, hash: $0, probes: probes) : BlockBloom.mayContain(f, hash: $0, probes: probes) }) {
                out.append(k)
            }
        }
        guard parsed != nil else { return .whole }
        return out.isEmpty ? .none : .segments(out)
    }

    /// Calls `body` with each segment's index and filter in `bytes` from `start` (varint segment count, the lengths,
    /// the filters, filling the rest exactly) and returns the count; nil, before any call, when they do not parse.
    /// Nothing is allocated: an id lookup reads a filter list for every block its bucket's rows name.
    @discardableResult
    static func forEachFilter(_ bytes: UnsafeRawBufferPointer, from start: Int, _ body: (Int, UnsafeRawBufferPointer) -> Void) -> Int? {
        var i = start
        guard let n = try? BlockCodec.getCount(bytes, at: &i), n > 0, n < 1 << 20 else { return nil }
        let lengths = i
        var total = 0
        for _ in 0..<n {
            guard let l = try? BlockCodec.getCount(bytes, at: &i), l <= bytes.count else { return nil }
            total += l
        }
        guard i + total == bytes.count else { return nil }
        var filter = i
        i = lengths
        for k in 0..<n {
            let l = (try? BlockCodec.getCount(bytes, at: &i)) ?? 0  // read above
            body(k, UnsafeRawBufferPointer(rebasing: bytes[filter..<(filter + l)]))
            filter += l
        }
        return n
    }
}

/// A block's identifier filters split by hash into ``buckets`` rows of the partition's `ids_<day>` table: an id
/// lookup reads the one bucket its hash falls in, ~1/32 of the filters' bytes, instead of every block row's whole
/// `ids` column (8 MB at 1 GiB: 1.5 ms of a 4 ms lookup).
///
/// Two ranges of rowids. A block's rows are written together (``freshKey(block:bucket:)``: block, then bucket), so a
/// commit dirties a page or two of the table, not one a bucket: keyed by bucket first, a tail's small commits each
/// wrote ~32 pages more to the WAL. When the day's index is merged, the fresh rows of each bucket go into rows of
/// many blocks keyed by bucket, then first block (``key(bucket:block:)``), which a lookup reads as one key range; the
/// fresh rows since (a tail merges every 10 minutes) it reads all, passing over other buckets' by their key.
/// A rowid table, not `WITHOUT ROWID` (bucket, block): an index b-tree keeps at most ~1,000 bytes of a row in its page
/// and put the rest of larger rows in overflow pages mostly empty (the index took 1.99% of raw instead of 0.9%).
///
///     probes (one byte) | varint segment count | per segment: varint filter length | the filters
///
/// Each row's filters hold only its bucket's ids of each segment, sized as ``SegmentBlooms``' (20 bits an id,
/// 10 probes), their probes drawn by ``BlockBloom/mixedProbe`` (small filters need it), so a segment's
/// false-positive rate is as before or lower. A bucket with no id of the block has no row.
package enum BucketBlooms {
    package static let buckets = 32

    /// The bucket of an identifier hash: the top bits of a multiplicative remix (the probes use the hash's own bits).
    @inline(__always)
    package static func bucket(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 59) }

    /// A merged row: bucket in the top bits, so that a bucket's rows are one range of keys.
    package static func key(bucket: Int, block: Int64) -> Int64 { Int64(bucket) << 40 | block }
    /// Fresh rows (one a bucket and block, as written) start here, block then bucket.
    package static let freshKeys: Int64 = 1 << 46
    package static func freshKey(block: Int64, bucket: Int) -> Int64 { freshKeys | block << 5 | Int64(bucket) }
    /// The block a one-block row's key names (either range).
    package static func block(ofKey key: Int64) -> Int64 { key >= freshKeys ? (key >> 5) & (1 << 40 - 1) : key & (1 << 40 - 1) }
    /// The bucket a row's key names (either range).
    package static func bucket(ofKey key: Int64) -> Int { Int(key >= freshKeys ? key & 31 : key >> 40) }

    /// `slices[k]`: the identifier hashes of segment k. One row per bucket holding any.
    package static func encode(_ slices: [ArraySlice<UInt64>]) -> [(bucket: Int, row: [UInt8])] {
        var split = [[[UInt64]]](repeating: [[UInt64]](repeating: [], count: slices.count), count: buckets)
        for (k, s) in slices.enumerated() {
            for h in s { split[bucket(h)][k].append(h) }
        }
        var out: [(Int, [UInt8])] = []
        for (b, perSegment) in split.enumerated() where perSegment.contains(where: { !$0.isEmpty }) {
            let filters = perSegment.map { BlockBloom(hashes: $0, minBits: 8, mixed: true)?.bits ?? [] }
            var row: [UInt8] = [UInt8(BlockBloom.probes)]
            BlockCodec.putVarint(UInt64(filters.count), &row)
            for f in filters { BlockCodec.putVarint(UInt64(f.count), &row) }
            for f in filters { row += f }
            out.append((b, row))
        }
        return out
    }

    /// The first byte of a row holding several blocks' filters (a probe count is 1...64):
    ///
    ///     0xFF | varint block count | per block: varint block id (the first) or its distance from the one before,
    ///            varint length, the block's filters (a one-block row without its key)
    ///
    /// ``EmbeddedStoreWriter/mergeBucketRows(_:)`` writes them when it merges a day's index: one row a bucket and
    /// ~1 MiB instead of one a bucket and block (a lookup then reads a few rows, and pages fill).
    static let mergedMarker: UInt8 = 0xFF
    /// A merged row grows to about this many bytes.
    static let mergedBytes = 1 << 20

    /// The blocks of a row (key `key`) and each one's filters; nil when it does not parse.
    package static func entries(_ row: UnsafeRawBufferPointer, key: Int64) -> [(block: Int64, filters: UnsafeRawBufferPointer)]? {
        guard row.first == mergedMarker else { return [(block(ofKey: key), row)] }
        var i = 1
        guard let n = try? BlockCodec.getCount(row, at: &i), n > 0 else { return nil }
        var out: [(Int64, UnsafeRawBufferPointer)] = []
        out.reserveCapacity(n)
        var id: Int64 = 0
        for _ in 0..<n {
            guard let d = try? BlockCodec.getVarint(row, at: &i), d < 1 << 40, let l = try? BlockCodec.getCount(row, at: &i),
                  l <= row.count - i else { return nil }
            id += Int64(d)
            out.append((id, UnsafeRawBufferPointer(rebasing: row[i..<(i + l)])))
            i += l
        }
        return i == row.count ? out : nil
    }

    /// One row of `entries` (each block's one-block filters), written in block order (a block id taken again after
    /// the newest block was deleted can come out of it).
    package static func merged(_ entries: [(block: Int64, filters: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [mergedMarker]
        BlockCodec.putVarint(UInt64(entries.count), &out)
        var last: Int64 = 0
        for e in entries.sorted(by: { $0.block < $1.block }) {
            BlockCodec.putVarint(UInt64(e.block - last), &out)
            BlockCodec.putVarint(UInt64(e.filters.count), &out)
            out += e.filters
            last = e.block
        }
        return out
    }

    /// A one-block row's probe count (its first byte, 1...64); nil when it has none.
    static func probes(_ row: UnsafeRawBufferPointer) -> Int? {
        guard row.count >= 2, row[0] > 0, row[0] <= 64 else { return nil }
        return Int(row[0])
    }

    /// How many segments' filters a one-block row holds; nil when it does not parse (`logsift check`).
    package static func segmentCount(_ row: UnsafeRawBufferPointer) -> Int? {
        guard probes(row) != nil else { return nil }
        return SegmentBlooms.forEachFilter(row, from: 1) { _, _ in }
    }

    /// Which segments of a one-block row's block may hold every one of `hashes` (all of this row's bucket).
    package static func candidates(_ row: UnsafeRawBufferPointer, hashes: [UInt64]) -> SegmentBlooms.Candidates {
        guard !hashes.isEmpty, let probes = probes(row) else { return .whole }
        return SegmentBlooms.perSegment(row, from: 1, probes: probes, hashes: hashes, mixed: true)
    }
}
