package import LogCore
#if canImport(Glibc)
import Glibc
#endif

/// A segment of a block stored column by column, each column its own zstd frame (segments of `LSG3` blocks,
/// ``SegmentedBlock``). Texts are stored as ``TextTemplate``s: each distinct template of the segment once, an
/// index per event, and the variables in typed columns.
///
///     varint column count (8) | 8 × varint frame length | 8 zstd frames:
///     0 meta       varint count | varint text bytes | timestamps | count × level | count × format | count × varint flags
///     1 mined      varint k | k × u64 LE mined template ids | t × varint index into them (one per text template)
///     2 templates  varint t | t × varint length | the templates' bytes
///     3 choice     count × varint index of each event's text template
///
/// A text template is kept once per mined template id it occurs with (nearly always one), so an event's mined
/// template id costs nothing beyond its text template's index.
///     4 ints  5 hex  6 times  7 strs   (``TextTemplate``'s variable columns)
///
/// Timestamps: the first as a zigzag varint, then each delta `d` as `zigzag(d / u) << 3 | c` with u = 1, 10^3,
/// 10^6 or 10^9 ns (c = 0...3, the largest that divides `d`), or `4` and a zigzag varint of `d` when that would
/// not fit 64 bits: times read from a line to the millisecond cost a byte or two, not four.
///
/// Measured on the first day of the benchmark workload (37 MB of texts, 220 segments of 256 KiB, zstd -7):
/// texts whole in one frame with 8-byte template ids and nanosecond deltas 17.84% of the texts; typed columns in
/// one frame 12.2%; each column its own frame 11.5% (+ timestamps 1.7%).
package final class ColumnarSegmentEncoder {
    static let columnCount = 8
    let zstd: ZstdCodec
    /// For the hex column: random ids do not compress, and level 1 gives up on them quickly.
    let fast: ZstdCodec

    var meta: [UInt8] = []
    private var mined: [UInt8] = []
    /// The templates collected, back to back in first-use order, with their lengths, offsets, hashes and mined ids.
    var templateBytes: [UInt8] = []
    var templateLengths: [Int] = []
    var templateStarts: [Int] = []
    private var templateHashes: [UInt64] = []
    var templateMined: [UInt64] = []
    private var table: [Int32] = Array(repeating: 0, count: 1 << 12)
    var choice: [UInt8] = []
    /// Each event's template (its first-use index), event by event.
    var choices: [Int32] = []
    var vars = TextTemplate.Variables()
    private var current: [UInt8] = []
    private var minedIndex: [UInt64: Int] = [:]
    private var minedOrder: [UInt64] = []

    package init(zstd: ZstdCodec) {
        self.zstd = zstd
        fast = ZstdCodec(level: 1)
    }

    /// Forgets the templates collected (per segment in `LSG3`, per block in `LSG4`).
    func resetTemplates() {
        templateBytes.removeAll(keepingCapacity: true)
        templateLengths.removeAll(keepingCapacity: true)
        templateStarts.removeAll(keepingCapacity: true)
        templateHashes.removeAll(keepingCapacity: true)
        templateMined.removeAll(keepingCapacity: true)
        for k in table.indices { table[k] = 0 }
        minedIndex.removeAll(keepingCapacity: true)
        minedOrder.removeAll(keepingCapacity: true)
    }

    private func resetColumns() {
        meta.removeAll(keepingCapacity: true)
        mined.removeAll(keepingCapacity: true)
        choice.removeAll(keepingCapacity: true)
        vars.removeAll()
    }

    /// The stored form of the events `r` of `b`, whose texts start at `textStart` in `b.bodies`: an `LSG3` segment,
    /// its templates its own.
    package func encode(_ b: EventBlock, events r: Range<Int>, textStart: Int) -> [UInt8] {
        resetTemplates()
        resetColumns()
        choices.removeAll(keepingCapacity: true)
        encodeEvents(b, events: r, textStart: textStart)
        for x in choices { BlockCodec.putVarint(UInt64(x), &choice) }
        mined = minedColumn(order: Array(0..<Int32(templateLengths.count)))
        var templates: [UInt8] = []
        templates.reserveCapacity(templateBytes.count + 3 * templateLengths.count + 5)
        BlockCodec.putVarint(UInt64(templateLengths.count), &templates)
        for l in templateLengths { BlockCodec.putVarint(UInt64(l), &templates) }
        templates += templateBytes
        return frames([meta, mined, templates, choice, vars.ints, vars.hex, vars.times, vars.strs], fastColumn: 5)
    }

    /// Writes the meta and variable columns of events `r` and appends each event's template (its index among the
    /// templates collected, in first-use order) to `choices`.
    func encodeEvents(_ b: EventBlock, events r: Range<Int>, textStart: Int) {
        BlockCodec.putVarint(UInt64(r.count), &meta)
        var textBytes = 0
        for i in r { textBytes += Int(b.lengths[i]) }
        BlockCodec.putVarint(UInt64(textBytes), &meta)
        var prev: Int64 = 0
        for (k, t) in b.timestamps[r].enumerated() {
            if k == 0 {
                BlockCodec.putVarint(BlockCodec.zigzag(t), &meta)
            } else {
                ColumnarSegmentEncoder.putDelta(t &- prev, &meta)
            }
            prev = t
        }
        meta.append(contentsOf: b.levels[r])
        meta.append(contentsOf: b.formats[r])
        for f in b.flags[r] { BlockCodec.putVarint(UInt64(f), &meta) }

        b.bodies.withUnsafeBufferPointer { all in
            var offset = textStart
            for i in r {
                let len = Int(b.lengths[i])
                current.removeAll(keepingCapacity: true)
                TextTemplate.encode(UnsafeBufferPointer(rebasing: all[offset..<(offset + len)]), ns: b.timestamps[i],
                                    template: &current, vars: &vars)
                choices.append(Int32(templateIndex(mined: b.templates[i])))
                offset += len
            }
        }
    }

    /// The mined column for the templates in `order`: `varint k | k × u64 LE ids | per template varint index`.
    func minedColumn(order: [Int32]) -> [UInt8] {
        minedIndex.removeAll(keepingCapacity: true)
        minedOrder.removeAll(keepingCapacity: true)
        var refs: [UInt8] = []
        for j in order {
            let t = templateMined[Int(j)]
            let k: Int
            if let known = minedIndex[t] { k = known } else { k = minedOrder.count; minedIndex[t] = k; minedOrder.append(t) }
            BlockCodec.putVarint(UInt64(k), &refs)
        }
        var out: [UInt8] = []
        BlockCodec.putVarint(UInt64(minedOrder.count), &out)
        for t in minedOrder { for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: t >> UInt64(s))) } }
        return out + refs
    }

    /// `varint count | count × varint frame length | the frames`, each column its own zstd frame.
    func frames(_ columns: [[UInt8]], fastColumn: Int) -> [UInt8] {
        var frames: [[UInt8]] = []
        frames.reserveCapacity(columns.count)
        for (k, column) in columns.enumerated() {
            frames.append(column.withUnsafeBytes { (k == fastColumn ? fast : zstd).compress($0) })
        }
        var out: [UInt8] = []
        out.reserveCapacity(frames.reduce(16) { $0 + $1.count })
        BlockCodec.putVarint(UInt64(frames.count), &out)
        for f in frames { BlockCodec.putVarint(UInt64(f.count), &out) }
        for f in frames { out += f }
        return out
    }

    @inline(__always)
    static func putDelta(_ d: Int64, _ out: inout [UInt8]) {
        var v = d, code: UInt64 = 0
        while code < 3, v != 0, v % 1000 == 0 { v /= 1000; code += 1 }
        let z = BlockCodec.zigzag(v)
        if z < 1 << 61 {
            BlockCodec.putVarint(z << 3 | code, &out)
        } else {
            out.append(4)
            BlockCodec.putVarint(BlockCodec.zigzag(d), &out)
        }
    }

    /// The index of the template in `current` with mined template id `mined`, added to the segment's templates if new.
    @inline(__always)
    private func templateIndex(mined: UInt64) -> Int {
        let h = current.withUnsafeBufferPointer { ColumnarSegmentEncoder.hash($0) } ^ (mined &* 0x9E37_79B9_7F4A_7C15)
        var mask = table.count - 1
        var slot = Int(truncatingIfNeeded: h >> 20) & mask
        while true {
            let e = Int(table[slot])
            if e == 0 { break }
            let k = e - 1
            if templateHashes[k] == h, templateLengths[k] == current.count, templateMined[k] == mined,
               templateBytes.withUnsafeBufferPointer({ a in current.withUnsafeBufferPointer { c in
                   // memcmp: the generic elementsEqual cost ~3,200 instructions a comparison (6% of the writer thread).
                   c.isEmpty || memcmp(a.baseAddress! + templateStarts[k], c.baseAddress!, c.count) == 0 } }) {
                return k
            }
            slot = (slot + 1) & mask
        }
        let k = templateLengths.count
        templateStarts.append(templateBytes.count)
        templateLengths.append(current.count)
        templateHashes.append(h)
        templateMined.append(mined)
        templateBytes += current
        table[slot] = Int32(k + 1)
        if templateLengths.count * 2 > table.count {
            table = Array(repeating: 0, count: table.count * 2)
            mask = table.count - 1
            for (j, th) in templateHashes.enumerated() {
                var s = Int(truncatingIfNeeded: th >> 20) & mask
                while table[s] != 0 { s = (s + 1) & mask }
                table[s] = Int32(j + 1)
            }
        }
        return k
    }

    /// A fast 64-bit hash: 8 bytes at a time.
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(p)
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        while i < p.count { h = (h ^ UInt64(p[i])) &* 0x0100_0000_01B3; i += 1 }
        h ^= h >> 29
        return h &* 0xC4CE_B9FE_1A85_EC53
    }
}

package enum ColumnarSegment {
    /// Decodes one segment written by ``ColumnarSegmentEncoder``; throws on any inconsistency. With `probe`, only
    /// the texts of events whose variables may form one of its terms are rebuilt; the others come back empty (for
    /// searches that require the terms). With `phrases`, likewise only the events whose template may hold them; with
    /// `levels` (a mask, bit `1 << level`), only the events of those levels. `shared`: the block's templates, for a
    /// segment of an `LSG4` block (six columns, no templates of its own).
    package static func decode(_ data: UnsafeRawBufferPointer, zstd: ZstdCodec, labels: StreamLabels, day: Int32,
                               probe: TermProbe? = nil, phrases: PhraseProbe? = nil, levels: Int64 = -1,
                               shared: BlockTemplates? = nil) throws -> EventBlock {
        var i = 0
        func varint() throws -> Int { try BlockCodec.getCount(data, at: &i) }
        let stored = shared == nil ? ColumnarSegmentEncoder.columnCount : BlockTemplates.segmentColumns
        guard try varint() == stored else { throw corruptBlock("unknown column layout") }
        var lens: [Int] = []
        for _ in 0..<stored { lens.append(try varint()) }
        var columns: [[UInt8]] = []
        for l in lens {
            guard l <= data.count - i else { throw corruptBlock("short column table") }
            columns.append(try zstd.decompress(UnsafeRawBufferPointer(rebasing: data[i..<(i + l)])))
            i += l
        }
        guard i == data.count else { throw corruptBlock("bytes after the columns") }
        // An `LSG4` block's templates. A probe (an id lookup) decodes a segment or two of a block, so it writes out
        // only the templates the segment's events use, and works out nothing to share with the block's other segments.
        var cache = shared
        if let shared {
            var used = shared.expanded || probe == nil ? nil : [Bool](repeating: false, count: shared.count)
            if used != nil {
                var c = ColumnCursor(columns[1])
                while !c.atEnd {
                    let x = try c.varint()
                    guard x < UInt64(shared.count) else { throw corruptBlock("bad text template index") }
                    used![Int(x)] = true
                }
                cache = nil
            }
            columns.insert(contentsOf: [shared.mined, used.map(shared.templates(using:)) ?? shared.templates], at: 1)
        }

        var b = EventBlock(labels: labels, day: day)
        var meta = ColumnCursor(columns[0])
        let count = try meta.varint()
        guard count <= UInt64(columns[0].count) else { throw corruptBlock("bad count") }
        let n = Int(count)
        let textBytes = try meta.varint()
        b.timestamps.reserveCapacity(n)
        var prev: Int64 = 0
        for k in 0..<n {
            let z = try meta.varint()
            if k == 0 {
                prev = BlockCodec.unzigzag(z)
            } else if z == 4 {
                let r = try meta.varint()
                prev = prev &+ BlockCodec.unzigzag(r)
            } else {
                let code = z & 7, v = z >> 3
                guard code < 4 else { throw corruptBlock("bad time delta") }
                let d = BlockCodec.unzigzag(v)
                let unit: Int64 = code == 0 ? 1 : code == 1 ? 1_000 : code == 2 ? 1_000_000 : 1_000_000_000
                let (scaled, o) = d.multipliedReportingOverflow(by: unit)
                guard !o else { throw corruptBlock("bad time delta") }
                prev = prev &+ scaled
            }
            b.timestamps.append(prev)
        }
        b.levels = Array(try meta.bytes(n))
        b.formats = Array(try meta.bytes(n))
        b.flags.reserveCapacity(n)
        for _ in 0..<n { b.flags.append(UInt16(truncatingIfNeeded: try meta.varint())) }
        guard meta.atEnd else { throw corruptBlock("bytes after the meta column") }

        var tc = ColumnCursor(columns[2])
        let t = try tc.varint()
        guard t <= UInt64(columns[2].count) else { throw corruptBlock("bad text template count") }
        var mined = ColumnCursor(columns[1])
        let k = try mined.varint()
        guard k <= UInt64(columns[1].count / 8) else { throw corruptBlock("bad template count") }
        var ids: [UInt64] = []
        for _ in 0..<Int(k) {
            var v: UInt64 = 0
            for s in stride(from: 0, to: 64, by: 8) { v |= UInt64(try mined.byte()) << UInt64(s) }
            ids.append(v)
        }
        var minedOf: [UInt64] = []
        minedOf.reserveCapacity(Int(t))
        for _ in 0..<Int(t) {
            let x = try mined.varint()
            guard x < k else { throw corruptBlock("bad template index") }
            minedOf.append(ids[Int(x)])
        }
        guard mined.atEnd else { throw corruptBlock("bytes after the template ids") }
        b.templates.reserveCapacity(n)
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(Int(t))
        var total = 0
        for _ in 0..<Int(t) {
            let l = try tc.varint()
            guard l <= UInt64(columns[2].count) else { throw corruptBlock("bad template length") }
            bounds.append(total..<(total + Int(l)))
            total += Int(l)
        }
        guard total == tc.remaining else { throw corruptBlock("template size mismatch") }
        // Each event's template, read once.
        var choice = ColumnCursor(columns[3])
        var chosen: [Int32] = []
        chosen.reserveCapacity(n)
        for _ in 0..<n {
            let x = try choice.varint()
            guard x < t else { throw corruptBlock("bad text template index") }
            chosen.append(Int32(truncatingIfNeeded: x))
            b.templates.append(minedOf[Int(x)])
        }
        guard choice.atEnd else { throw corruptBlock("unused column bytes") }
        // Per template, whether it may hold the phrases (2 yes, 1 no), all worked out at once (for an `LSG4` block,
        // once for all its segments).
        let holds = phrases.map { p in
            cache?.holds(p, base: tc.at, bounds: bounds) ?? columns[2].withUnsafeBufferPointer { p.holding($0, base: tc.at, bounds: bounds) }
        } ?? []
        // Whether event `e` is one the search reads: of a level asked for, and of a template that may hold the phrases.
        @inline(__always) func wanted(_ e: Int) -> Bool {
            if levels != -1, let l = LogLevel(rawValue: b.levels[e]), levels & (1 << Int64(l.rawValue)) == 0 { return false }
            return phrases == nil || holds[Int(chosen[e])] != 1
        }
        // A segment is passed over before any template is compiled when none of its events is wanted (the block's
        // templates may hold the phrase in another of its segments), or its columns cannot form the probe's terms.
        // Per template, whether it may be opaque to the probe's terms (for an `LSG4` block, once for all its segments).
        let opaqueTo = probe.map { p in cache?.opaque(p, base: tc.at, bounds: bounds) ?? p.opaqueTemplates(columns[2], base: tc.at, bounds: bounds) } ?? []
        var hits = probe.map { ProbeHits($0, hex: columns[5], strs: columns[7], ints: columns[4], times: columns[6], opaque: opaqueTo, chosen: chosen) }
        if (phrases != nil || levels != -1) && !(0..<n).contains(where: wanted) || hits.map({ !$0.any }) == true {
            // No event can hold the terms or phrases: every text stays empty, and no template is compiled.
            b.lengths = Array(repeating: 0, count: n)
            return b
        }
        // Lent, not shared: one reference, so compiling more templates appends in place.
        let compiled = cache?.programs
        cache?.programs = nil
        var texts = try TextRebuilder(templates: columns[2], base: tc.at, bounds: bounds, ints: columns[4], hex: columns[5],
                                      times: columns[6], strs: columns[7], compiled: consume compiled)
        // Segments close at 256 KiB of text, so only a huge last event (`--max-line-bytes`) makes one larger.
        guard textBytes <= 1 << 28 else { throw corruptBlock("texts too long") }
        b.lengths.reserveCapacity(n)
        // Whether a probe's walk stopped before the last event.
        var stopped = false
        b.bodies = try [UInt8](unsafeUninitializedCapacity: Int(textBytes)) { buffer, count in
            count = 0
            var w = TextWriter(buffer: buffer)
            try columns[2].withUnsafeBufferPointer { tp in
                // Per template, worked out on its first event: 0 unknown, 1 no, 2 yes.
                var opaque: [UInt8] = probe == nil ? [] : Array(repeating: 0, count: Int(t))
                for e in 0..<n {
                    if let h = hits, h.passed(event: e, hexAt: texts.hex.at, wordsAt: texts.strs.at) {
                        // No event from here on can hold a term: the walk stops.
                        b.lengths.append(contentsOf: repeatElement(0, count: n - e))
                        stopped = true
                        break
                    }
                    let y = Int(chosen[e])
                    guard wanted(e) else {
                        try texts.skip(y)
                        b.lengths.append(0)
                        continue
                    }
                    if let probe {
                        if !hits!.digits, !opaqueTo[y] {
                            // Not opaque (the block-wide check never misses one), so a term can only be one of the
                            // event's variables, where the columns hold it.
                            let at = texts.positions
                            try texts.skip(y)
                            guard hits!.touches(hex: at.1..<texts.hex.at, words: at.3..<texts.strs.at) else { b.lengths.append(0); continue }
                            texts.positions = at
                            opaque[y] = 1
                        }
                        if opaque[y] == 0 { opaque[y] = try texts.isOpaque(y, templates: tp, probe: probe) ? 2 : 1 }
                        if opaque[y] == 1 {
                            let at = texts.positions
                            guard try texts.mayHold(y, probe: probe) else { b.lengths.append(0); continue }
                            texts.positions = at
                        }
                    }
                    let start = w.at
                    try texts.rebuild(y, ns: b.timestamps[e], templates: tp, into: &w)
                    b.lengths.append(UInt32(w.at - start))
                }
            }
            let partial = probe != nil || phrases != nil || levels != -1
            guard partial || w.at == buffer.count else { throw corruptBlock("text size mismatch") }
            count = w.at
        }
        guard stopped || texts.atEnd else { throw corruptBlock("unused column bytes") }
        // The block's next segment starts from the templates compiled so far.
        if let cache { cache.programs = texts.takePrograms() }
        // A block's templates (`LSG4`) are used by its segments together, not each by every segment.
        guard shared != nil || probe != nil || phrases != nil || levels != -1 || texts.allCompiled else { throw corruptBlock("a template no event uses") }
        return b
    }
}
