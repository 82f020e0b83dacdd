package import LogCore

/// The stored form of a block (the `data` column): its events in segments of about 256 KiB of text, each
/// segment a ``ColumnarSegment`` (template-encoded texts, a zstd frame per column), so that a search whose
/// identifier the Bloom filters place in one segment decompresses and decodes that segment only.
///
///     "LSG4" | varint segment count | per segment: varint first event, varint byte length, varint level mask,
///            varint flag union, zigzag varint min time, varint max - min time
///            | varint mined frame length | varint templates frame length | the two frames | the segments
///
/// The block's text templates are stored once (``BlockTemplates``), its segments index them.
///
/// The per-segment summaries (``SegmentSummary``) let a search skip segments whose levels, flags or times cannot
/// match, and take a block's segments newest first, stopping once its top `limit` is full.
///
/// Older layouts are still read: "LSG3" (the same without the two frames, each segment keeping its own templates,
/// written until 2026-12-04), "LSG2" (first event and length per segment, each segment one zstd frame of a
/// ``BlockCodec`` payload with whole texts) and, before segmenting, one zstd frame of the whole payload.
package enum SegmentedBlock {
    static let magic: [UInt8] = Array("LSG4".utf8)
    static let segmentTemplatesMagic: [UInt8] = Array("LSG3".utf8)
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
        let block = encoder.encodeBlock(b, segments: segments)
        var k = 0
        return assemble(b, segments: segments, magic: magic, summaries: true, shared: (block.mined, block.templates)) { _, _ in
            k += 1
            return block.segments[k - 1]
        }
    }

    /// The `LSG3` layout (each segment its own templates), as releases before block templates wrote it.
    package static func encodeSegmentTemplates(_ b: EventBlock, segments: [Range<Int>], encoder: ColumnarSegmentEncoder) -> [UInt8] {
        assemble(b, segments: segments, magic: segmentTemplatesMagic, summaries: true) { seg, offset in encoder.encode(b, events: seg, textStart: offset) }
    }

    /// The `LSG2` layout (whole texts, one frame per segment), as releases before template encoding wrote it.
    package static func encodeWholeTexts(_ b: EventBlock, segments: [Range<Int>], zstd: ZstdCodec) -> [UInt8] {
        var scratch: [UInt8] = []
        return assemble(b, segments: segments, magic: wholeTextMagic, summaries: false) { seg, offset in
            BlockCodec.encode(b, events: seg, textStart: offset, into: &scratch)
            return scratch.withUnsafeBytes { zstd.compress($0) }
        }
    }

    private static func assemble(_ b: EventBlock, segments: [Range<Int>], magic: [UInt8], summaries: Bool,
                                 shared: (mined: [UInt8], templates: [UInt8])? = nil, _ encode: (Range<Int>, Int) -> [UInt8]) -> [UInt8] {
        var parts: [[UInt8]] = []
        var table: [UInt8] = []
        BlockCodec.putVarint(UInt64(segments.count), &table)
        var offset = 0
        for seg in segments {
            let part = encode(seg, offset)
            for i in seg { offset += Int(b.lengths[i]) }
            BlockCodec.putVarint(UInt64(seg.lowerBound), &table)
            BlockCodec.putVarint(UInt64(part.count), &table)
            if summaries { SegmentSummary(b, seg).write(to: &table) }
            parts.append(part)
        }
        if let shared {
            BlockCodec.putVarint(UInt64(shared.mined.count), &table)
            BlockCodec.putVarint(UInt64(shared.templates.count), &table)
            parts.insert(contentsOf: [shared.mined, shared.templates], at: 0)
        }
        var out = magic + table
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for p in parts { out += p }
        return out
    }

    /// The segment table of a stored block; nil for the older single-frame blocks.
    package static func table(_ data: UnsafeRawBufferPointer) throws -> SegmentTable? {
        let blockTemplates = data.count >= 4 && data.prefix(4).elementsEqual(magic)
        let columnar = blockTemplates || data.count >= 4 && data.prefix(4).elementsEqual(segmentTemplatesMagic)
        guard columnar || data.count >= 4 && data.prefix(4).elementsEqual(wholeTextMagic) else { return nil }
        var i = 4
        func varint() throws -> Int { try BlockCodec.getCount(data, at: &i) }
        let n = try varint()
        guard n >= 1 else { throw corruptBlock("no segments") }
        var t = SegmentTable(columnar: columnar)
        for _ in 0..<n {
            t.firsts.append(try varint())
            t.lengths.append(try varint())
            if columnar { t.summaries.append(try SegmentSummary(reading: data, at: &i)) }
        }
        var at = i
        if blockTemplates {
            let m = try varint(), p = try varint()
            at = i
            guard m <= data.count - at, p <= data.count - at - m else { throw corruptBlock("bad block template frames") }
            t.sharedMined = at..<(at + m)
            t.sharedTemplates = (at + m)..<(at + m + p)
            at += m + p
        }
        for l in t.lengths { t.starts.append(at); at += l }
        guard at == data.count, t.firsts.first == 0, zip(t.firsts, t.firsts.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw corruptBlock("bad segment table")
        }
        return t
    }

    /// The block's templates (`LSG4`); nil for a layout whose segments keep their own.
    package static func templates(_ data: UnsafeRawBufferPointer, table t: SegmentTable, zstd: ZstdCodec) throws -> BlockTemplates? {
        guard let m = t.sharedMined, let p = t.sharedTemplates else { return nil }
        return try BlockTemplates(mined: UnsafeRawBufferPointer(rebasing: data[m]), templates: UnsafeRawBufferPointer(rebasing: data[p]), zstd: zstd)
    }

    /// Decodes the whole block as one, or (`split`) segment by segment, or only the segments in `only` (each as
    /// a block of its events, with the index of its first event in the whole block). Older single-frame
    /// blocks always decode whole. `probe` (with `only`): a search requires these identifier terms, so the
    /// texts of template-encoded events that cannot hold them may come back empty; `phrases` (any decode): likewise
    /// for phrases every match holds, and `levels` (a mask of `1 << level`) for events of other levels.
    package static func decode(_ data: UnsafeRawBufferPointer, zstd: ZstdCodec, labels: StreamLabels, day: Int32,
                               only: [Int]? = nil, split: Bool = false, probe: TermProbe? = nil,
                               phrases: PhraseProbe? = nil, levels: Int64 = -1) throws -> [(first: Int, block: EventBlock)] {
        guard let t = try table(data) else {
            return [(0, try BlockCodec.decode(try zstd.decompress(data), labels: labels, day: day))]
        }
        return try decode(data, table: t, zstd: zstd, labels: labels, day: day, only: only, split: split, probe: probe, phrases: phrases,
                          levels: levels)
    }

    /// ``decode(_:zstd:labels:day:only:split:probe:phrases:levels:)`` with the block's segment table already read.
    /// `templates`: the block's templates (`LSG4`) as an earlier call read them; read here otherwise.
    package static func decode(_ data: UnsafeRawBufferPointer, table t: SegmentTable, zstd: ZstdCodec, labels: StreamLabels, day: Int32,
                               only: [Int]?, split: Bool, probe: TermProbe?, phrases: PhraseProbe?,
                               levels: Int64, templates: BlockTemplates? = nil) throws -> [(first: Int, block: EventBlock)] {
        let n = t.firsts.count
        // The block's templates (`LSG4`), read once for all the segments decoded.
        var shared = templates
        func blockTemplates() throws -> BlockTemplates? {
            guard shared == nil else { return shared }
            shared = try Self.templates(data, table: t, zstd: zstd)
            return shared
        }
        func segment(_ k: Int, probe: TermProbe? = nil) throws -> EventBlock {
            let bytes = UnsafeRawBufferPointer(rebasing: data[t.starts[k]..<(t.starts[k] + t.lengths[k])])
            let part = t.columnar ? try ColumnarSegment.decode(bytes, zstd: zstd, labels: labels, day: day, probe: probe, phrases: phrases,
                                                               levels: levels, shared: try blockTemplates())
                                  : try BlockCodec.decode(try zstd.decompress(bytes), labels: labels, day: day)
            if k + 1 < n, part.count != t.firsts[k + 1] - t.firsts[k] { throw corruptBlock("segment \(k) holds \(part.count) events") }
            if t.columnar, SegmentSummary(part, 0..<part.count) != t.summaries[k] {
                throw corruptBlock("segment \(k): its levels, flags or times differ from the segment table")
            }
            return part
        }
        if only == nil, split { return try (0..<n).map { (t.firsts[$0], try segment($0)) } }
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
        return try only.filter { $0 >= 0 && $0 < n }.map { (t.firsts[$0], try segment($0, probe: probe)) }
    }
}

/// Where a stored block's segments are, and (``SegmentedBlock/magic`` layout) what each holds.
package struct SegmentTable {
    /// Template-encoded segments (`LSG4`, `LSG3`), else whole texts (`LSG2`).
    package var columnar: Bool
    /// Index in the block of each segment's first event.
    package var firsts: [Int] = []
    /// Byte offset and length of each segment in the stored block.
    package var starts: [Int] = []
    package var lengths: [Int] = []
    /// One per segment in the `LSG4` and `LSG3` layouts; empty in `LSG2`.
    package var summaries: [SegmentSummary] = []
    /// The block's mined and templates frames (`LSG4`); nil before.
    package var sharedMined: Range<Int>?
    package var sharedTemplates: Range<Int>?
}

/// What one segment holds, kept in the segment table: a search decodes only segments that may match.
package struct SegmentSummary: Equatable, Sendable {
    /// Bit `1 << level` for each level present, and all events' flags or-ed (as the block row's).
    package var levels: Int64
    package var flags: Int64
    package var minTs: Int64
    package var maxTs: Int64

    init(_ b: EventBlock, _ r: Range<Int>) {
        var levels: Int64 = 0, flags: UInt16 = 0
        var lo = Int64.max, hi = Int64.min
        for i in r {
            levels |= 1 << Int64(b.levels[i])
            flags |= b.flags[i]
            lo = min(lo, b.timestamps[i])
            hi = max(hi, b.timestamps[i])
        }
        if r.isEmpty { lo = 0; hi = 0 }
        self.levels = levels
        self.flags = Int64(flags)
        minTs = lo
        maxTs = hi
    }

    init(reading data: UnsafeRawBufferPointer, at i: inout Int) throws {
        levels = Int64(bitPattern: try BlockCodec.getVarint(data, at: &i))
        flags = Int64(bitPattern: try BlockCodec.getVarint(data, at: &i))
        minTs = BlockCodec.unzigzag(try BlockCodec.getVarint(data, at: &i))
        // The span is unsigned (a segment may cover far past and far future); times in order-preserving offset form.
        let (end, over) = (UInt64(bitPattern: minTs) ^ 1 << 63).addingReportingOverflow(try BlockCodec.getVarint(data, at: &i))
        guard !over else { throw corruptBlock("bad segment time range") }
        maxTs = Int64(bitPattern: end ^ 1 << 63)
    }

    func write(to out: inout [UInt8]) {
        BlockCodec.putVarint(UInt64(bitPattern: levels), &out)
        BlockCodec.putVarint(UInt64(bitPattern: flags), &out)
        BlockCodec.putVarint(BlockCodec.zigzag(minTs), &out)
        BlockCodec.putVarint(UInt64(bitPattern: maxTs &- minTs), &out)
    }
}
