#if canImport(Glibc)
import Glibc
#endif

/// The text templates of a whole block, stored once for all its segments (``SegmentedBlock``'s `LSG4` layout):
/// in `LSG3` every segment kept its own templates, and an access log's templates (one per path and user agent
/// met) came back in segment after segment. Sorted by their bytes and front-coded, like templates sit side by
/// side and each stores only what differs from the one before.
///
///     mined frame      varint k | k × u64 LE mined template ids | t × varint index into them (one per template)
///     templates frame  varint t | t × (varint bytes shared with the template before, varint bytes of its own) | those bytes
///
/// A segment of the block then has six columns (meta, choice, ints, hex, times, strs), its choice column indexing
/// the block's templates.
///
/// Measured on the 128 MiB benchmark workload (322 blocks, 574 segments): the templates, mined and choice columns
/// per segment 2.65 MB; per block in first-use order 2.15 MB; sorted 1.98 MB; sorted and front-coded 1.77 MB.
///
/// One instance serves every segment a search decodes from the block, and keeps what those segments would each
/// work out again from the same templates: their compiled programs, which of them may hold a phrase, whether one
/// may join parts into an identifier.
package final class BlockTemplates {
    /// The six columns a segment of an `LSG4` block stores.
    static let segmentColumns = 6

    /// The block's templates as one segment's `mined` and `templates` columns (``ColumnarSegment``).
    let mined: [UInt8]
    let templates: [UInt8]
    /// The templates compiled so far (``TextRebuilder/Programs``), lent to each segment's rebuilder in turn.
    var programs: TextRebuilder.Programs?
    /// ``PhraseProbe/holding(_:base:bounds:)`` for the last phrases asked about.
    private var holdsFor: (pieces: [[UInt8]], holds: [UInt8])?
    /// Which templates may be opaque to the last identifier terms asked about.
    private var opaqueFor: (terms: [[UInt8]], opaque: [Bool])?

    func holds(_ phrases: PhraseProbe, base: Int, bounds: [Range<Int>]) -> [UInt8] {
        if let h = holdsFor, h.pieces == phrases.pieces { return h.holds }
        let h = templates.withUnsafeBufferPointer { phrases.holding($0, base: base, bounds: bounds) }
        holdsFor = (phrases.pieces, h)
        return h
    }

    func opaque(_ probe: TermProbe, base: Int, bounds: [Range<Int>]) -> [Bool] {
        let key = probe.terms.map(\.bytes)
        if let o = opaqueFor, o.terms == key { return o.opaque }
        let o = probe.opaqueTemplates(templates, base: base, bounds: bounds)
        opaqueFor = (key, o)
        return o
    }

    /// Reads the two frames; throws on any inconsistency.
    init(mined m: UnsafeRawBufferPointer, templates f: UnsafeRawBufferPointer, zstd: ZstdCodec) throws {
        mined = try zstd.decompress(m)
        let raw = try zstd.decompress(f)
        var c = ColumnCursor(raw)
        let t = try c.varint()
        guard t <= UInt64(raw.count / 2) else { throw corruptBlock("bad block template count") }
        let n = Int(t)
        var shared: [Int] = [], own: [Int] = []
        shared.reserveCapacity(n)
        own.reserveCapacity(n)
        var header: [UInt8] = []
        header.reserveCapacity(n * 2 + 5)
        BlockCodec.putVarint(t, &header)
        var total = 0, suffixes = 0, prev = 0
        for _ in 0..<n {
            let p = try c.varint(), s = try c.varint()
            guard p <= UInt64(prev), s <= UInt64(raw.count) else { throw corruptBlock("bad block template prefix") }
            shared.append(Int(p))
            own.append(Int(s))
            prev = Int(p + s)
            total += prev
            suffixes += Int(s)
            guard total <= 1 << 28 else { throw corruptBlock("block templates too long") }
            BlockCodec.putVarint(UInt64(prev), &header)
        }
        guard suffixes == c.remaining else { throw corruptBlock("block template size mismatch") }
        let from = c.at
        // The segment column's layout in one array: the header, then each template written out in full.
        templates = [UInt8](unsafeUninitializedCapacity: header.count + total) { out, count in
            header.withUnsafeBufferPointer { h in _ = out.initialize(fromContentsOf: h) }
            raw.withUnsafeBufferPointer { src in
                var at = header.count, before = at, read = from
                for k in 0..<n {
                    let start = at
                    if shared[k] > 0 { (out.baseAddress! + at).update(from: out.baseAddress! + before, count: shared[k]) }
                    at += shared[k]
                    if own[k] > 0 { (out.baseAddress! + at).update(from: src.baseAddress! + read, count: own[k]) }
                    at += own[k]
                    read += own[k]
                    before = start
                }
            }
            count = header.count + total
        }
    }
}

extension ColumnarSegmentEncoder {
    /// The `LSG4` form of the segments `segments` of `b`: the block's mined and templates frames, and each
    /// segment's six column frames.
    func encodeBlock(_ b: EventBlock, segments: [Range<Int>]) -> (mined: [UInt8], templates: [UInt8], segments: [[UInt8]]) {
        resetTemplates()
        var pending: [(frames: [[UInt8]], choices: [Int32])] = []
        pending.reserveCapacity(segments.count)
        var offset = 0
        for r in segments {
            meta.removeAll(keepingCapacity: true)
            vars.removeAll()
            choices.removeAll(keepingCapacity: true)
            encodeEvents(b, events: r, textStart: offset)
            for i in r { offset += Int(b.lengths[i]) }
            var frames: [[UInt8]] = []
            for (k, column) in [meta, vars.ints, vars.hex, vars.times, vars.strs].enumerated() {
                frames.append(column.withUnsafeBytes { (k == 2 ? fast : zstd).compress($0) })
            }
            pending.append((frames, choices))
        }
        let order = sortedTemplates()
        var rank = [Int32](repeating: 0, count: order.count)
        for (k, j) in order.enumerated() { rank[Int(j)] = Int32(k) }
        let minedFrame = minedColumn(order: order).withUnsafeBytes { zstd.compress($0) }
        let templatesFrame = frontCoded(order).withUnsafeBytes { zstd.compress($0) }
        var out: [[UInt8]] = []
        out.reserveCapacity(pending.count)
        for p in pending {
            choice.removeAll(keepingCapacity: true)
            for x in p.choices { BlockCodec.putVarint(UInt64(rank[Int(x)]), &choice) }
            let choiceFrame = choice.withUnsafeBytes { zstd.compress($0) }
            let frames = [p.frames[0], choiceFrame] + p.frames[1...]
            var seg: [UInt8] = []
            seg.reserveCapacity(frames.reduce(16) { $0 + $1.count })
            BlockCodec.putVarint(UInt64(frames.count), &seg)
            for f in frames { BlockCodec.putVarint(UInt64(f.count), &seg) }
            for f in frames { seg += f }
            out.append(seg)
        }
        return (minedFrame, templatesFrame, out)
    }

    /// The collected templates' indexes, ordered by their bytes (then length, then mined id).
    private func sortedTemplates() -> [Int32] {
        var order = Array(0..<Int32(templateLengths.count))
        templateBytes.withUnsafeBufferPointer { bytes in
            templateLengths.withUnsafeBufferPointer { lengths in
                templateStarts.withUnsafeBufferPointer { starts in
                    templateMined.withUnsafeBufferPointer { mined in
                        order.sort { x, y in
                            let a = Int(x), b = Int(y)
                            let la = lengths[a], lb = lengths[b], common = min(la, lb)
                            if common > 0 {
                                let c = memcmp(bytes.baseAddress! + starts[a], bytes.baseAddress! + starts[b], common)
                                if c != 0 { return c < 0 }
                            }
                            return la != lb ? la < lb : mined[a] < mined[b]
                        }
                    }
                }
            }
        }
        return order
    }

    /// The templates frame's content for the templates in `order`.
    private func frontCoded(_ order: [Int32]) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(order.count * 3 + 5)
        var body: [UInt8] = []
        body.reserveCapacity(templateBytes.count / 2)
        BlockCodec.putVarint(UInt64(order.count), &head)
        templateBytes.withUnsafeBufferPointer { bytes in
            var prevStart = 0, prevLength = 0
            for j in order {
                let start = templateStarts[Int(j)], length = templateLengths[Int(j)]
                var p = 0
                let most = min(length, prevLength)
                while p < most, bytes[start + p] == bytes[prevStart + p] { p += 1 }
                BlockCodec.putVarint(UInt64(p), &head)
                BlockCodec.putVarint(UInt64(length - p), &head)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(start + p)..<(start + length)]))
                prevStart = start
                prevLength = length
            }
        }
        return head + body
    }
}
