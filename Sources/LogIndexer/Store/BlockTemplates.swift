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

    /// The block's templates as one segment's `mined` column (``ColumnarSegment``).
    let mined: [UInt8]
    /// The number of templates.
    let count: Int
    /// The templates frame (front-coded), and per template the bytes it shares with the one before and the offset
    /// in `raw` of its own bytes.
    private let raw: [UInt8]
    private let prefix: [Int32], own: [Int32], ownAt: [Int32]
    /// The longest template.
    private let longest: Int
    /// The block's templates as one segment's `templates` column, every template written out in full, made on
    /// first use: an id lookup reads one segment and writes out only the templates its events use
    /// (``templates(using:)``; a block's templates written out are ~1 MB, a segment's ~150 KB).
    private(set) lazy var templates: [UInt8] = {
        expanded = true
        return expand { _ in true }
    }()
    /// Whether ``templates`` has been made.
    private(set) var expanded = false
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
        raw = try zstd.decompress(f)
        var c = ColumnCursor(raw)
        let t = try c.varint()
        guard t <= UInt64(raw.count / 2) else { throw corruptBlock("bad block template count") }
        let n = Int(t)
        var prefix: [Int32] = [], own: [Int32] = []
        prefix.reserveCapacity(n)
        own.reserveCapacity(n)
        var total = 0, suffixes = 0, prev = 0, longest = 0
        for _ in 0..<n {
            let p = try c.varint(), s = try c.varint()
            guard p <= UInt64(prev), s <= UInt64(raw.count) else { throw corruptBlock("bad block template prefix") }
            prefix.append(Int32(p))
            own.append(Int32(s))
            prev = Int(p + s)
            total += prev
            suffixes += Int(s)
            longest = max(longest, prev)
            guard total <= 1 << 28 else { throw corruptBlock("block templates too long") }
        }
        guard suffixes == c.remaining else { throw corruptBlock("block template size mismatch") }
        var ownAt: [Int32] = []
        ownAt.reserveCapacity(n)
        var at = c.at
        for s in own {
            ownAt.append(Int32(at))
            at += Int(s)
        }
        count = n
        self.prefix = prefix
        self.own = own
        self.ownAt = ownAt
        self.longest = longest
    }

    /// The segment column's layout (``ColumnarSegment``) with only the templates `needed` written out; the others
    /// are empty. A column made for one segment is that segment's alone: it shares nothing worked out with others.
    func templates(using needed: [Bool]) -> [UInt8] {
        precondition(needed.count == count)
        return expanded ? templates : expand { needed[$0] }
    }

    /// The header (the count, each template's length) then each template `keep` takes, written out in full.
    private func expand(_ keep: (Int) -> Bool) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(count * 2 + 5)
        BlockCodec.putVarint(UInt64(count), &header)
        var total = 0
        for k in 0..<count where keep(k) { total += Int(prefix[k] + own[k]) }
        for k in 0..<count { BlockCodec.putVarint(keep(k) ? UInt64(prefix[k] + own[k]) : 0, &header) }
        // Each template is the one before's first `prefix` bytes then its own: built in a scratch buffer the size of
        // the longest, and copied out when kept.
        var scratch = [UInt8](repeating: 0, count: longest)
        return [UInt8](unsafeUninitializedCapacity: header.count + total) { out, written in
            header.withUnsafeBufferPointer { h in _ = out.initialize(fromContentsOf: h) }
            var at = header.count
            raw.withUnsafeBufferPointer { src in
                scratch.withUnsafeMutableBufferPointer { cur in
                    for k in 0..<count {
                        let p = Int(prefix[k]), s = Int(own[k])
                        if s > 0 { (cur.baseAddress! + p).update(from: src.baseAddress! + Int(ownAt[k]), count: s) }
                        if keep(k), p + s > 0 {
                            (out.baseAddress! + at).update(from: cur.baseAddress!, count: p + s)
                            at += p + s
                        }
                    }
                }
            }
            written = at
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
