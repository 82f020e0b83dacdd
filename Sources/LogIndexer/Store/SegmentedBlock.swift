package import LogCore

/// The stored form of a block (the `data` column): its events in segments of about 256 KiB of text, each
/// segment a ``ColumnarSegment`` (template-encoded texts, a zstd frame per column), so that a search whose
/// identifier the Bloom filters place in one segment decompresses and decodes that segment only.
///
///     "LSG3" | varint segment count | per segment: varint first event, varint byte length | the segments
///
/// Older layouts are still read: "LSG2" (the same table, each segment one zstd frame of a ``BlockCodec``
/// payload with whole texts) and, before segmenting, one zstd frame of the whole payload.
package enum SegmentedBlock {
    static let magic: [UInt8] = Array("LSG3".utf8)
    static let wholeTextMagic: [UInt8] = Array("LSG2".utf8)
    /// A segment closes once its texts reach this many bytes.
    static let segmentBytes = 256 << 10

    /// Event ranges of the segments of `b`.
    package static func segments(of b: EventBlock) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, bytes = 0
        for i in 0..<b.count {
            bytes += Int(b.lengths[i])
            if bytes >= segmentBytes {
                out.append(start..<(i + 1))
                start = i + 1
                bytes = 0
            }
        }
        if start < b.count || out.isEmpty { out.append(start..<b.count) }
        return out
    }

    package static func encode(_ b: EventBlock, segments: [Range<Int>], encoder: ColumnarSegmentEncoder) -> [UInt8] {
        assemble(b, segments: segments, magic: magic) { seg, offset in encoder.encode(b, events: seg, textStart: offset) }
    }

    /// The `LSG2` layout (whole texts, one frame per segment), as releases before template encoding wrote it.
    package static func encodeWholeTexts(_ b: EventBlock, segments: [Range<Int>], zstd: ZstdCodec) -> [UInt8] {
        var scratch: [UInt8] = []
        return assemble(b, segments: segments, magic: wholeTextMagic) { seg, offset in
            BlockCodec.encode(b, events: seg, textStart: offset, into: &scratch)
            return scratch.withUnsafeBytes { zstd.compress($0) }
        }
    }

    private static func assemble(_ b: EventBlock, segments: [Range<Int>], magic: [UInt8],
                                 _ encode: (Range<Int>, Int) -> [UInt8]) -> [UInt8] {
        var parts: [[UInt8]] = []
        var table: [UInt8] = []
        BlockCodec.putVarint(UInt64(segments.count), &table)
        var offset = 0
        for seg in segments {
            let part = encode(seg, offset)
            for i in seg { offset += Int(b.lengths[i]) }
            BlockCodec.putVarint(UInt64(seg.lowerBound), &table)
            BlockCodec.putVarint(UInt64(part.count), &table)
            parts.append(part)
        }
        var out = magic + table
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for p in parts { out += p }
        return out
    }

    /// Decodes the whole block as one, or (`split`) segment by segment, or only the segments in `only` (each as
    /// a block of its events, with the index of its first event in the whole block). Older single-frame
    /// blocks always decode whole. `probe` (with `only`): a search requires these identifier terms, so the
    /// texts of template-encoded events that cannot hold them may come back empty.
    package static func decode(_ data: UnsafeRawBufferPointer, zstd: ZstdCodec, labels: StreamLabels, day: Int32,
                               only: [Int]? = nil, split: Bool = false, probe: TermProbe? = nil) throws -> [(first: Int, block: EventBlock)] {
        let columnar = data.count >= 4 && data.prefix(4).elementsEqual(magic)
        guard columnar || data.count >= 4 && data.prefix(4).elementsEqual(wholeTextMagic) else {
            return [(0, try BlockCodec.decode(try zstd.decompress(data), labels: labels, day: day))]
        }
        var i = 4
        func varint() throws -> Int { try BlockCodec.getCount(data, at: &i) }
        let n = try varint()
        guard n >= 1 else { throw corruptBlock("no segments") }
        var firsts: [Int] = [], lens: [Int] = []
        for _ in 0..<n { firsts.append(try varint()); lens.append(try varint()) }
        var starts: [Int] = []
        var at = i
        for l in lens { starts.append(at); at += l }
        guard at == data.count, firsts.first == 0, zip(firsts, firsts.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw corruptBlock("bad segment table")
        }
        func segment(_ k: Int, probe: TermProbe? = nil) throws -> EventBlock {
            let bytes = UnsafeRawBufferPointer(rebasing: data[starts[k]..<(starts[k] + lens[k])])
            let part = columnar ? try ColumnarSegment.decode(bytes, zstd: zstd, labels: labels, day: day, probe: probe)
                                : try BlockCodec.decode(try zstd.decompress(bytes), labels: labels, day: day)
            if k + 1 < n, part.count != firsts[k + 1] - firsts[k] { throw corruptBlock("segment \(k) holds \(part.count) events") }
            return part
        }
        if only == nil, split { return try (0..<n).map { (firsts[$0], try segment($0)) } }
        guard let only else {
            var whole = try segment(0)
            for k in 1..<n {
                let part = try segment(k)
                whole.timestamps += part.timestamps; whole.levels += part.levels; whole.flags += part.flags
                whole.formats += part.formats; whole.templates += part.templates; whole.lengths += part.lengths
                whole.bodies += part.bodies
            }
            return [(0, whole)]
        }
        return try only.filter { $0 >= 0 && $0 < n }.map { (firsts[$0], try segment($0, probe: probe)) }
    }
}
