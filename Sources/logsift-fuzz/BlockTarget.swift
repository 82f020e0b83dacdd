import LogCore
import LogIndexer

/// `block`: the bytes as what the store reads back from a `blocks_*` row (`logsift check`, search, follow,
/// context). The first byte picks a mode; the rest is the payload.
///
/// - 0: the `data` column as stored (``SegmentedBlock``, whole, split and some segments) and the `ids`
///   column (``SegmentBlooms``): a block or an error, never a trap.
/// - 1: an uncompressed ``BlockCodec`` payload (zstd's checksum would keep the fuzzer out of it): a block or
///   an error; a block encodes and decodes back to itself.
/// - 2: a segment table built from the payload around zstd frames of its pieces, so that the table checks
///   and the per-segment codec run on bytes that pass zstd: an `LSG2` block of whole-text segments and an
///   `LSG3` block of one columnar segment whose eight columns are the pieces (template-encoded texts).
/// - 3: round trips (and an id lookup's decode of each segment): the payload's lines through the decoder and builder, and an ``EventBlock`` made
///   directly from the payload's bytes (any timestamps, levels, flags), encoded in segments cut where the
///   payload says, in all three layouts, decode back to the same block whole, split and segment by segment.
enum BlockTarget {
    // One codec per thread would be needed if libFuzzer ran jobs in threads; it runs one input at a time.
    nonisolated(unsafe) static let zstd = ZstdCodec(level: 1)
    nonisolated(unsafe) static let encoder = ColumnarSegmentEncoder(zstd: zstd)
    static let labels = StreamLabels(source: "fuzz", deployment: "d")
    static let day: Int32 = 20411

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let mode = data.first else { return }
        let payload = UnsafeRawBufferPointer(rebasing: data.dropFirst())
        switch mode % 4 {
        case 0: stored(payload)
        case 1: codec(payload)
        case 2: framed(payload)
        default: roundTrips(payload)
        }
    }

    static func stored(_ p: UnsafeRawBufferPointer) {
        for (only, split) in [(nil, false), (nil, true), ([0], false), ([1, 0, -1, 1 << 40], false)] as [([Int]?, Bool)] {
            _ = try? SegmentedBlock.decode(p, zstd: zstd, labels: labels, day: day, only: only, split: split)
        }
        for terms in [["4bf92f3577b34da6a3ce929d0e0e4736"], ["abc12345678", "1234567890"]] {
            let probe = TermProbe(terms.map { Array($0.utf8) })
            _ = try? SegmentedBlock.decode(p, zstd: zstd, labels: labels, day: day, only: [0, 1], probe: probe)
        }
        for hashes in [[], [Tokenizer.hash("4bf92f3577b34da6a3ce929d0e0e4736")], [1, 2, UInt64.max]] as [[UInt64]] {
            switch SegmentBlooms.candidates(p, hashes: hashes) {
            case .none, .whole: break
            case .segments(let k): FuzzCheck.that(!k.isEmpty && k == k.sorted(), "Bloom candidates \(k)")
            }
        }
    }

    static func codec(_ p: UnsafeRawBufferPointer) {
        guard let b = try? BlockCodec.decode(Array(p), labels: labels, day: day) else { return }
        checkColumns(b, "decoded payload")
        var out: [UInt8] = []
        BlockCodec.encode(b, into: &out)
        do {
            let again = try BlockCodec.decode(out, labels: labels, day: day)
            same(again, b, "payload decoded, encoded and decoded again")
        } catch {
            FuzzCheck.fail("a decoded payload encodes to bytes that do not decode: \(error)")
        }
    }

    /// Payload: u8 segment count n (1...8), n-1 u8 deltas of the first events (0 allowed, so that bad tables
    /// occur), then the bytes, cut into n pieces, each compressed as one frame.
    static func framed(_ p: UnsafeRawBufferPointer) {
        guard let first = p.first else { return }
        let n = Int(first % 8) + 1
        guard p.count >= n else { return }
        var firsts = [0]
        for k in 1..<n { firsts.append(firsts[k - 1] + Int(p[k])) }
        let body = UnsafeRawBufferPointer(rebasing: p[n...])
        var out = Array("LSG2".utf8)
        var frames: [[UInt8]] = []
        var table: [UInt8] = []
        putVarint(UInt64(n), &table)
        for k in 0..<n {
            let lo = body.count * k / n, hi = body.count * (k + 1) / n
            let frame = zstd.compress(UnsafeRawBufferPointer(rebasing: body[lo..<hi]))
            putVarint(UInt64(firsts[k]), &table)
            putVarint(UInt64(frame.count), &table)
            frames.append(frame)
        }
        out += table
        for f in frames { out += f }
        out.withUnsafeBytes { stored($0) }

        var columns: [UInt8] = []
        putVarint(8, &columns)
        let pieces = (0..<8).map { k in zstd.compress(UnsafeRawBufferPointer(rebasing: body[(body.count * k / 8)..<(body.count * (k + 1) / 8)])) }
        for f in pieces { putVarint(UInt64(f.count), &columns) }
        for f in pieces { columns += f }
        var columnar = Array("LSG3".utf8)
        putVarint(1, &columnar)
        putVarint(0, &columnar)
        putVarint(UInt64(columns.count), &columnar)
        columnar += columns
        columnar.withUnsafeBytes { stored($0) }
    }

    static func roundTrips(_ p: UnsafeRawBufferPointer) {
        // Lines through the decoder (no noise filter: every line is stored).
        let builder = BatchBuilder()
        let decoder = SourceDecoder(labels: labels, format: .auto, limits: JoinLimits(), sink: builder)
        let bytes = [UInt8](p)
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for i in 0...all.count where i == all.count || all[i] == 0x0A {
                decoder.line(UnsafeBufferPointer(rebasing: all[start..<i]), readNs: 1_763_546_400_000_000_000, truncated: false)
                start = i + 1
            }
        }
        decoder.flush()
        for block in builder.takeBatch().blocks { roundTrip(block, cuts: bytes) }
        roundTrip(block(from: bytes), cuts: bytes.reversed())
    }

    /// Events made directly from the bytes: 12 bytes of header per event (timestamp, level, flags, format,
    /// template byte, text length) and then that many text bytes.
    static func block(from bytes: [UInt8]) -> EventBlock {
        var b = EventBlock(labels: labels, day: day)
        var i = 0
        while i + 12 <= bytes.count {
            var ts: UInt64 = 0
            for k in 0..<8 { ts |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            let spread = [0, 1, -1, Int64.min, Int64.max, 1_763_546_400_000_000_000][Int(bytes[i] % 6)]
            let ns = bytes[i + 1] & 1 == 0 ? Int64(bitPattern: ts) : spread
            let level = bytes[i + 8], flags = UInt16(bytes[i + 9]) << 8 | UInt16(bytes[i + 10])
            let len = min(Int(bytes[i + 11]), bytes.count - i - 12)
            let text = Array(bytes[(i + 12)..<(i + 12 + len)])
            i += 12 + len
            b.timestamps.append(ns)
            b.levels.append(level)
            b.flags.append(flags)
            b.formats.append(level >> 4)
            b.templates.append(ts &* 0x9E37_79B9_7F4A_7C15)
            b.lengths.append(UInt32(text.count))
            b.bodies += text
        }
        return b
    }

    /// Encodes `b` as stored, in segments cut where `cuts` says (a cut after event `k` for each byte whose low
    /// bits pick it), then decodes it whole, split and by segments.
    static func roundTrip(_ b: EventBlock, cuts: some Sequence<UInt8>) {
        var segments: [Range<Int>] = []
        var start = 0
        var cut = cuts.makeIterator()
        if b.count > 0 {
            for i in 0..<b.count where i == b.count - 1 || (cut.next() ?? 0) & 3 == 0 {
                segments.append(start..<(i + 1))
                start = i + 1
            }
        } else {
            segments = SegmentedBlock.segments(of: b)
        }
        for cutting in [segments, SegmentedBlock.segments(of: b)] {
            for data in [SegmentedBlock.encode(b, segments: cutting, encoder: encoder), SegmentedBlock.encodeSegmentTemplates(b, segments: cutting, encoder: encoder),
                         SegmentedBlock.encodeWholeTexts(b, segments: cutting, zstd: zstd)] {
                data.withUnsafeBytes { d in
                    do {
                        let whole = try SegmentedBlock.decode(d, zstd: zstd, labels: b.labels, day: b.day)
                        FuzzCheck.that(whole.count == 1 && whole[0].first == 0, "whole decode gave \(whole.count) parts")
                        same(whole[0].block, b, "encoded in \(cutting.count) segments, decoded whole")
                        let split = try SegmentedBlock.decode(d, zstd: zstd, labels: b.labels, day: b.day, split: true)
                        FuzzCheck.that(split.map(\.first) == cutting.map(\.lowerBound), "split decode starts \(split.map(\.first)) for \(cutting)")
                        for (k, part) in split.enumerated() {
                            let r = cutting[k]
                            FuzzCheck.that(part.block.count == r.count, "segment \(k) has \(part.block.count) events of \(r.count)")
                            FuzzCheck.that(part.block.timestamps == Array(b.timestamps[r]) && part.block.lengths == Array(b.lengths[r]),
                                           "segment \(k) differs from events \(r)")
                        }
                        if cutting.count > 1 {
                            let last = cutting.count - 1
                            let some = try SegmentedBlock.decode(d, zstd: zstd, labels: b.labels, day: b.day, only: [last])
                            FuzzCheck.that(some.count == 1 && some[0].first == cutting[last].lowerBound, "segment \(last) alone")
                        }
                        try probed(d, b, cutting, split)
                    } catch {
                        FuzzCheck.fail("a block of \(b.count) events in \(cutting.count) segments does not decode: \(error)")
                    }
                }
            }
        }
    }

    /// An id lookup's decode of each segment (the first three): for the block's first and last identifier terms, every
    /// event whose index terms hold the term comes back whole, and every event that comes back is whole (the walk
    /// passes over the others by their templates' shapes and stops after the last place the term can be).
    static func probed(_ d: UnsafeRawBufferPointer, _ b: EventBlock, _ cutting: [Range<Int>],
                       _ split: [(first: Int, block: EventBlock)]) throws {
        var terms: [[UInt8]] = [], held: [[UInt64]] = []
        var offset = 0
        b.bodies.withUnsafeBufferPointer { all in
            for i in 0..<b.count {
                let text = UnsafeBufferPointer(rebasing: all[offset..<(offset + Int(b.lengths[i]))])
                offset += Int(b.lengths[i])
                var set = TermSet()
                set.addTerms(of: text, format: b.formats[i])
                held.append(set.identifierHashes)
                Tokenizer.forEachTerm(in: text) { t in
                    if t.count < Tokenizer.maxTermLength, Tokenizer.isIdentifierLike(t) { terms.append(Array(t)) }
                }
            }
        }
        for term in Set([terms.first, terms.last].compactMap { $0 }) {
            guard let probe = TermProbe([term]) else { continue }
            let hash = term.withUnsafeBufferPointer(Tokenizer.hash)
            for k in cutting.indices.prefix(3) {
                let got = try SegmentedBlock.decode(d, zstd: zstd, labels: b.labels, day: b.day, only: [k], probe: probe)
                guard got.count == 1, got[0].block.count == cutting[k].count else {
                    FuzzCheck.fail("segment \(k) probed: \(got.map(\.block.count)) events, not \(cutting[k].count)")
                }
                let part = got[0].block, whole = split[k].block
                var at = 0, wholeAt = 0
                for (j, i) in cutting[k].enumerated() {
                    let len = Int(part.lengths[j]), wholeLen = Int(whole.lengths[j])
                    if len > 0 {
                        FuzzCheck.that(part.bodies[at..<(at + len)] == whole.bodies[wholeAt..<(wholeAt + wholeLen)],
                                       "event \(i) rebuilt for a probe differs from its text")
                    }
                    if held[i].contains(hash) {
                        FuzzCheck.that(len > 0, "event \(i) holds \(String(decoding: term, as: UTF8.self)) but a probe passed over it")
                    }
                    at += len
                    wholeAt += wholeLen
                }
            }
        }
    }

    static func same(_ a: EventBlock, _ b: EventBlock, _ what: String) {
        checkColumns(a, what)
        FuzzCheck.that(a.timestamps == b.timestamps, "\(what): timestamps differ")
        FuzzCheck.that(a.levels == b.levels && a.formats == b.formats, "\(what): levels or formats differ")
        FuzzCheck.that(a.flags == b.flags && a.templates == b.templates, "\(what): flags or templates differ")
        FuzzCheck.that(a.lengths == b.lengths && a.bodies == b.bodies, "\(what): texts differ")
        FuzzCheck.that(a.labels == b.labels && a.day == b.day, "\(what): labels or day differ")
    }

    static func checkColumns(_ b: EventBlock, _ what: String) {
        let n = b.count
        FuzzCheck.that(b.levels.count == n && b.flags.count == n && b.formats.count == n && b.templates.count == n && b.lengths.count == n,
                       "\(what): columns of different lengths")
        FuzzCheck.that(b.lengths.reduce(0) { $0 + Int($1) } == b.bodies.count, "\(what): lengths do not add up to the text")
        // What readers do with a block: every event, its summary.
        var offset = 0
        for i in 0..<n {
            offset += Int(b.lengths[i])
            _ = LogLevel(rawValue: b.levels[i])
            _ = BodyFormat(rawValue: b.formats[i])
        }
        _ = (b.minTs, b.maxTs, b.levelMask, b.flagsUnion, offset)
    }

    /// Seed inputs made with the store's own encoder (`logsift-fuzz --make-block-seeds DIR` writes them; the
    /// committed ones in Fuzz/seeds/block come from it): a stored block in one and in three segments, its
    /// identifier column, its raw payload, a framed table, and lines for the round trips.
    static func seeds() -> [(name: String, bytes: [UInt8])] {
        let lines = [
            #"2025-11-19T10:00:00Z stdout F {"level":"error","msg":"payment failed","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
            "2025-11-19T10:00:01Z stdout F level=info msg=ok", "2025-11-19T10:00:02Z stderr F panic: boom", "goroutine 1 [running]:",
            "plain text line é",
        ].joined(separator: "\n")
        let builder = BatchBuilder()
        let decoder = SourceDecoder(labels: labels, format: .auto, limits: JoinLimits(), sink: builder)
        for line in lines.split(separator: "\n") {
            var l = String(line)
            l.withUTF8 { decoder.line($0, readNs: 1_763_546_400_000_000_000, truncated: false) }
        }
        decoder.flush()
        let b = builder.takeBatch().blocks[0]
        let one = SegmentedBlock.encode(b, segments: SegmentedBlock.segments(of: b), encoder: encoder)
        let three = SegmentedBlock.encode(b, segments: [0..<1, 1..<2, 2..<b.count], encoder: encoder)
        let wholeTexts = SegmentedBlock.encodeWholeTexts(b, segments: [0..<1, 1..<2, 2..<b.count], zstd: zstd)
        var payload: [UInt8] = []
        BlockCodec.encode(b, into: &payload)
        var terms = TermSet()
        b.bodies.withUnsafeBufferPointer { terms.addTerms(of: $0) }
        let ids = SegmentBlooms.encode([terms.identifierHashes[...], [], terms.identifierHashes[...]]) ?? []
        return [
            ("stored-one-segment", [0] + one),
            ("stored-three-segments", [4] + three),
            ("stored-whole-texts", [4] + wholeTexts),
            ("stored-ids", [8] + ids),
            ("codec-payload", [1] + payload),
            ("framed-three", [2, 2, 1, 1] + payload),
            ("roundtrip-lines", [3] + Array(lines.utf8)),
            ("roundtrip-events", [7] + [0, 0, 0, 0, 0, 0, 0, 0x80, 5, 0x04, 0x00, 3] + Array("abc".utf8)
                + [1, 1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 2] + Array("de".utf8)),
        ]
    }

    static func putVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
}
