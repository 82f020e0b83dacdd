@testable import LogIndexer
import LogCore
import Testing

@Suite struct SegmentedBlockTests {
    func block(events: Int, bytesEach: Int) -> EventBlock {
        var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_000)
        for i in 0..<events {
            var text = Array("event \(i) id=\(String(i, radix: 16).padding(toLength: 16, withPad: "7", startingAt: 0)) ".utf8)
            while text.count < bytesEach { text.append(UInt8(ascii: "x")) }
            text.withUnsafeBufferPointer { b.append(ns: Int64(i), flags: [], level: .info, format: .plain, template: UInt64(i), body: $0) }
        }
        return b
    }

    @Test func wholeAndPartialDecodesAgreeWithTheBlock() throws {
        let b = block(events: 3000, bytesEach: 300)  // ~900 KB: 4 segments
        let segments = SegmentedBlock.segments(of: b)
        #expect(segments.count == 4)
        #expect(segments.first?.lowerBound == 0 && segments.last?.upperBound == b.count)
        let zstd = ZstdCodec(level: 3)
        let data = SegmentedBlock.encode(b, segments: segments, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let whole = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) }
        #expect(whole.count == 1 && whole[0].first == 0)
        #expect(whole[0].block.bodies == b.bodies && whole[0].block.timestamps == b.timestamps && whole[0].block.templates == b.templates)
        let part = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [2]) }
        #expect(part.count == 1)
        #expect(part[0].first == segments[2].lowerBound)
        #expect(part[0].block.count == segments[2].count)
        #expect(part[0].block.timestamps.first == Int64(segments[2].lowerBound))
        // Corruption is an error, not wrong data.
        var bad = data
        bad[bad.count - 3] ^= 0xFF
        #expect(throws: StoreError.self) { _ = try bad.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) } }
    }

    /// An access log: each path and agent met makes a template, and every segment meets the same ones again.
    func accessLog(events: Int) -> EventBlock {
        let paths = (0..<40).map { "/api/v1/\(["cart", "orders", "users", "items"][$0 % 4])/\(["list", "detail", "search"][$0 % 3])/x\($0 % 7)y" }
        let agents = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0", "curl/8.5.0", "kube-probe/1.29", "okhttp/4.12.0", "Go-http-client/2.0"]
        var b = EventBlock(labels: StreamLabels(source: "t"), day: 20_000)
        for i in 0..<events {
            let text = Array("10.244.\(i % 7).\(i % 250) - - \"GET \(paths[i * 7 % 40]) HTTP/1.1\" 200 \(i * 37 % 9000) \"-\" \"\(agents[i % 5])\" \(i % 90)ms".utf8)
            text.withUnsafeBufferPointer { b.append(ns: Int64(i) * 1_000_000, flags: [], level: .info, format: .plain, template: UInt64(i % 3), body: $0) }
        }
        return b
    }

    /// `LSG4` stores a block's templates once for all its segments (`LSG3` kept them per segment): smaller, and both
    /// decode to the block whole, split and segment by segment; a damaged templates frame is an error.
    @Test func blockTemplatesAreStoredOnceAndEitherLayoutDecodes() throws {
        let b = accessLog(events: 12_000)
        let segments = SegmentedBlock.segments(of: b)
        #expect(segments.count >= 4)
        let zstd = ZstdCodec(level: 3)
        let encoder = ColumnarSegmentEncoder(zstd: zstd)
        let new = SegmentedBlock.encode(b, segments: segments, encoder: encoder)
        let old = SegmentedBlock.encodeSegmentTemplates(b, segments: segments, encoder: encoder)
        #expect(Array(new.prefix(4)) == Array("LSG4".utf8) && Array(old.prefix(4)) == Array("LSG3".utf8))
        #expect(new.count < old.count, "LSG4 \(new.count) bytes, LSG3 \(old.count)")
        for data in [new, old] {
            let whole = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) }
            #expect(whole[0].block.bodies == b.bodies && whole[0].block.lengths == b.lengths && whole[0].block.templates == b.templates)
            let split = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, split: true) }
            #expect(split.map(\.first) == segments.map(\.lowerBound))
            for (k, part) in split.enumerated() { #expect(part.block.templates == Array(b.templates[segments[k]])) }
            let last = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [segments.count - 1]) }
            #expect(last[0].block.bodies == split[segments.count - 1].block.bodies)
        }
        let table = try #require(try new.withUnsafeBytes { try SegmentedBlock.table($0) })
        let frame = try #require(table.sharedTemplates)
        var bad = new
        bad[frame.lowerBound + frame.count / 2] ^= 0xFF
        #expect(throws: StoreError.self) { _ = try bad.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [0]) } }
    }

    /// An id lookup writes out only the templates of the segment it reads (a block's are ~1 MB written out, a
    /// segment's ~150 KB): those come back byte for byte as in the whole column, the others empty, and each segment
    /// probed for a term of one of its events decodes that event as a whole decode does.
    @Test func aProbedSegmentWritesOutOnlyItsOwnTemplates() throws {
        let b = accessLog(events: 12_000)
        let segments = SegmentedBlock.segments(of: b)
        let zstd = ZstdCodec(level: 3)
        let data = SegmentedBlock.encode(b, segments: segments, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let table = try #require(try data.withUnsafeBytes { try SegmentedBlock.table($0) })
        let full = try #require(try data.withUnsafeBytes { try SegmentedBlock.templates($0, table: table, zstd: zstd) })
        let partial = try #require(try data.withUnsafeBytes { try SegmentedBlock.templates($0, table: table, zstd: zstd) })
        let used = (0..<partial.count).map { $0 % 3 == 1 }
        let some = partial.templates(using: used)
        #expect(!partial.expanded && full.expanded == false)
        func templates(_ column: [UInt8]) throws -> [[UInt8]] {
            var c = ColumnCursor(column)
            let n = Int(try c.varint())
            var lens: [Int] = []
            for _ in 0..<n { lens.append(Int(try c.varint())) }
            var at = c.at
            return lens.map { l in defer { at += l }; return Array(column[at..<(at + l)]) }
        }
        let all = try templates(full.templates), kept = try templates(some)
        #expect(all.count == partial.count && kept.count == all.count && all.allSatisfy { !$0.isEmpty })
        for k in all.indices { #expect(kept[k] == (used[k] ? all[k] : []), "template \(k)") }
        #expect(some.count < full.templates.count / 2)

        // The same lines with a trace id each: a segment probed for the id of its middle event rebuilds that event.
        var traced = EventBlock(labels: b.labels, day: b.day)
        func trace(_ i: Int) -> String { String(UInt64(i + 1) &* 0x9E37_79B9_7F4A_7C15, radix: 16).padding(toLength: 16, withPad: "0", startingAt: 0) }
        var offset = 0
        for i in 0..<b.count {
            let text = Array(b.bodies[offset..<(offset + Int(b.lengths[i]))]) + Array(" trace=\(trace(i))".utf8)
            offset += Int(b.lengths[i])
            text.withUnsafeBufferPointer { traced.append(ns: b.timestamps[i], flags: [], level: .info, format: .plain, template: b.templates[i], body: $0) }
        }
        let cuts = SegmentedBlock.segments(of: traced)
        let tracedData = SegmentedBlock.encode(traced, segments: cuts, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let whole = try tracedData.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, split: true) }
        for (k, seg) in cuts.enumerated() {
            let middle = (seg.lowerBound + seg.upperBound) / 2
            let probe = try #require(TermProbe([Array(trace(middle).utf8)]))
            let got = try tracedData.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [k], probe: probe) }
            var at = 0, wholeAt = 0, rebuilt: [Int] = []
            for i in seg {
                let len = Int(got[0].block.lengths[i - seg.lowerBound]), wholeLen = Int(whole[k].block.lengths[i - seg.lowerBound])
                if len > 0 {
                    #expect(got[0].block.bodies[at..<(at + len)] == whole[k].block.bodies[wholeAt..<(wholeAt + wholeLen)])
                    rebuilt.append(i)
                }
                at += len
                wholeAt += wholeLen
            }
            #expect(rebuilt == [middle], "segment \(k)")
        }
    }

    /// Found by the `block` libFuzzer target: an event count of 2^63 or more trapped converting to Int (in
    /// `logsift check` or a search) instead of reporting a corrupt block.
    @Test func aHugeEventCountIsACorruptBlock() {
        let payloads: [[UInt8]] = [
            [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // 2^64 - 1
            [1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // 2^63
            [1, 0x05, 0x00],  // 5 events in 3 bytes
        ]
        for p in payloads {
            #expect(throws: StoreError.self) { _ = try BlockCodec.decode(p, labels: StreamLabels(source: "t"), day: 0) }
        }
    }

    @Test func blocksWrittenBeforeSegmentingStillDecode() throws {
        let b = block(events: 10, bytesEach: 50)
        var payload: [UInt8] = []
        BlockCodec.encode(b, into: &payload)
        let zstd = ZstdCodec(level: 3)
        let old = payload.withUnsafeBytes { zstd.compress($0) }
        let out = try old.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, only: [0]) }
        #expect(out.count == 1 && out[0].block.bodies == b.bodies)
    }

    /// A filter is sized by the distinct ids: an id on every line of a segment costs what it costs once.
    @Test func aBloomFilterIsSizedByTheDistinctIds() {
        let ids: [UInt64] = (0..<50).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let once = BlockBloom(hashes: ids)!.bits
        let repeated = BlockBloom(hashes: (0..<40).flatMap { _ in ids })!.bits
        #expect(once.count == repeated.count && once.count == (50 * BlockBloom.bitsPerItem + 7) / 8)
        repeated.withUnsafeBytes { p in #expect(ids.allSatisfy { BlockBloom.mayContain(p, hash: $0) }) }
        #expect(BlockBloom.distinctCount([0, 0, 5, 5, 1 << 63, 0]) == 3)
    }

    @Test func segmentBloomsPointAtTheSegmentHoldingAnId() {
        let a: [UInt64] = [1, 2, 3], c: [UInt64] = [40, 50]
        let bytes = SegmentBlooms.encode([a[...], [], c[...]])!
        bytes.withUnsafeBytes { p in
            #expect(SegmentBlooms.candidates(p, hashes: [50]) == .segments([2]))
            #expect(SegmentBlooms.candidates(p, hashes: [2]) == .segments([0]))
            #expect(SegmentBlooms.candidates(p, hashes: [999_999_999]) == .none)
            #expect(SegmentBlooms.candidates(p, hashes: []) == .whole)
        }
        // A whole-block filter (before segments) and `LSB2` columns (before 20 bits an id): 14 bits, 7 probes.
        let old = BlockBloom(hashes: a, bitsPerItem: 14, probes: 7)!.bits
        old.withUnsafeBytes { p in
            #expect(SegmentBlooms.candidates(p, hashes: [2]) == .whole)
            #expect(SegmentBlooms.candidates(p, hashes: [999_999_999]) == .none)
        }
        let legacy = [a, [], c].map { BlockBloom(hashes: $0, bitsPerItem: 14, probes: 7)?.bits ?? [] }
        var lsb2 = Array("LSB2".utf8) + [3]
        for f in legacy { BlockCodec.putVarint(UInt64(f.count), &lsb2) }
        for f in legacy { lsb2 += f }
        lsb2.withUnsafeBytes { p in
            #expect(SegmentBlooms.candidates(p, hashes: [50]) == .segments([2]))
            #expect(SegmentBlooms.candidates(p, hashes: [3]) == .segments([0]))
        }
    }

    /// Bucketed filters (`ids_<day>` rows): each id is in its bucket's row only, which points at its segments; a row
    /// passes an id it does not hold at about the rate of a whole segment filter.
    @Test func bucketRowsPointAtTheSegmentsHoldingAnId() {
        var rng: UInt64 = 0x0DDB_1A5E_5BAD_5EED
        func next() -> UInt64 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return rng
        }
        let slices = (0..<8).map { k in (0..<(k == 3 ? 0 : 500 + 300 * k)).map { _ in next() }[...] }
        let rows = BucketBlooms.encode(slices)
        #expect(rows.count == BucketBlooms.buckets && Set(rows.map(\.bucket)).count == rows.count)
        var byBucket: [Int: [UInt8]] = [:]
        for r in rows { byBucket[r.bucket] = r.row }
        for (k, s) in slices.enumerated() {
            for h in s {
                let c = byBucket[BucketBlooms.bucket(h)]!.withUnsafeBytes { BucketBlooms.candidates($0, hashes: [h]) }
                guard case .segments(let got) = c, got.contains(k) else { Issue.record("id of segment \(k): \(c)"); return }
            }
        }
        var passed = 0
        let lookups = 200_000
        for _ in 0..<lookups {
            let h = next()
            if case .segments(let k) = byBucket[BucketBlooms.bucket(h)]!.withUnsafeBytes({ BucketBlooms.candidates($0, hashes: [h]) }) {
                passed += k.count
            }
        }
        let rate = Double(passed) / Double(lookups * (slices.count - 1))
        #expect(rate < 1.5e-4, "false positive rate \(rate)")
        // Segments of few ids make filters of a few bytes per bucket, where double hashing's probes overlapped:
        // 30 ids a segment passed 1.5e-3 of absent ids that way, ~4e-5 with mixed probes (theory: ~9e-5 or less).
        let small = (0..<100).map { _ in (0..<30).map { _ in next() }[...] }
        var smallRows: [Int: [UInt8]] = [:]
        for r in BucketBlooms.encode(small) { smallRows[r.bucket] = r.row }
        var smallPassed = 0
        for _ in 0..<20_000 {
            let h = next()
            if let r = smallRows[BucketBlooms.bucket(h)], case .segments(let k) = r.withUnsafeBytes({ BucketBlooms.candidates($0, hashes: [h]) }) {
                smallPassed += k.count
            }
        }
        #expect(Double(smallPassed) / 2e6 < 1.5e-4, "false positive rate \(Double(smallPassed) / 2e6) with 30 ids a segment")
        // The rows together are about the size of the segments' filters in one column.
        let whole = SegmentBlooms.encode(slices)!.count, split = rows.reduce(0) { $0 + $1.row.count }
        #expect(Double(split) < Double(whole) * 1.1, "\(split) bytes in bucket rows, \(whole) in one column")
        // Rows of several blocks (as `compactIndex` merges them) name each block with its filters.
        let one = rows[0].row, other = rows[1].row
        let merged = BucketBlooms.merged([(7, one), (9, other), (300, one)])
        merged.withUnsafeBytes { p in
            let e = BucketBlooms.entries(p, key: BucketBlooms.key(bucket: 3, block: 7))
            #expect(e?.map(\.block) == [7, 9, 300])
            #expect(e.map { $0.map { Array($0.filters) } } == [one, other, one])
        }
        one.withUnsafeBytes { p in #expect(BucketBlooms.entries(p, key: BucketBlooms.key(bucket: 3, block: 12))?.map(\.block) == [12]) }
        #expect(Array(merged.dropLast()).withUnsafeBytes { BucketBlooms.entries($0, key: 0) } == nil)
        // Garbled rows are decoded whole, never skipped.
        #expect([UInt8]([10, 200]).withUnsafeBytes { BucketBlooms.candidates($0, hashes: [1]) } == .whole)
        #expect([UInt8]([10, 1, 5, 0]).withUnsafeBytes { BucketBlooms.candidates($0, hashes: [1]) } == .whole)
    }

    /// The rate at which a segment's filter passes an id it does not hold: each such segment is decoded for nothing.
    @Test func aSegmentFilterPassesFewIdsItDoesNotHold() {
        var rng: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return rng
        }
        let slices = (0..<200).map { _ in (0..<400).map { _ in next() }[...] }
        let bytes = SegmentBlooms.encode(slices)!
        var passed = 0
        let lookups = 2_000
        bytes.withUnsafeBytes { p in
            for _ in 0..<lookups {
                if case .segments(let k) = SegmentBlooms.candidates(p, hashes: [next()]) { passed += k.count }
            }
            // Every id of a segment points at it.
            for (k, s) in slices.enumerated() where k % 20 == 0 {
                #expect(s.allSatisfy { h in
                    if case .segments(let got) = SegmentBlooms.candidates(p, hashes: [h]) { return got.contains(k) }
                    return false
                })
            }
        }
        // 20 bits an id, 10 probes: ~9e-5 in theory (14 bits and 7 probes: ~1.5e-3, ~600 here).
        let rate = Double(passed) / Double(lookups * slices.count)
        #expect(rate < 3e-4, "false positive rate \(rate)")
        print("segment Bloom filters: \(passed) false positives in \(lookups * slices.count) segment probes (\(rate))")
    }
}
