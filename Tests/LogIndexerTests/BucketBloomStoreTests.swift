import Foundation
import LogCore
import Query
@testable import LogIndexer
import Testing

/// Identifier lookups through a day's `ids_<day>` table: fresh rows (a bucket and block each, as each batch commits
/// them) and the rows the writer merges them into (`compactIndex`) find the same events, and `check` reads both.
@Suite struct BucketBloomStoreTests {
    static let day: Int32 = 20_412
    static let base: Int64 = Int64(day) * 86_400_000_000_000

    /// The request id of event `i` of block `k`.
    static func id(_ k: Int, _ i: Int) -> String { String(format: "%016llx", UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(i) &* 0xBF58_476D_1CE4_E5B9) }

    /// 4,000 events of ~300 bytes (5 segments), each with its own request id.
    static func block(_ k: Int) -> EventBlock {
        var b = EventBlock(labels: StreamLabels(source: "ids", namespace: "shop", pod: "api-\(k)", container: "api"), day: day)
        for i in 0..<4000 {
            var text = Array("INFO handled request req=\(id(k, i)) seq=\(i) ".utf8)
            while text.count < 300 { text.append(UInt8(ascii: "z")) }
            text.withUnsafeBufferPointer { b.append(ns: base + Int64(k * 4000 + i) * 1_000_000_000, flags: [], level: .info, format: .plain, body: $0) }
        }
        return b
    }

    /// Rows of the day's table: fresh, merged.
    func rows(_ dir: String) throws -> (fresh: Int64, merged: Int64) {
        let db = try EmbeddedStore.open(directory: dir, create: false)
        let name = EmbeddedStore.partitionName(day: Self.day)
        return (try db.scalarInt("SELECT count(*) FROM ids_\(name) WHERE key >= \(BucketBlooms.freshKeys)") ?? 0,
                try db.scalarInt("SELECT count(*) FROM ids_\(name) WHERE key < \(BucketBlooms.freshKeys)") ?? 0)
    }

    @Test func freshAndMergedRowsFindTheSameEvents() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let writer = try EmbeddedStoreWriter(directory: dir.path)
        for k in 0..<3 {
            var batch = EventBatch()
            batch.blocks = [Self.block(k)]
            batch.counters.events = 4000
            try writer.append(batch)
        }
        var writtenBlocks = 3
        func lookups() throws {
            let reader = try EmbeddedStoreReader(directory: dir.path)
            for (k, i) in [(0, 0), (0, 3999), (1, 1234), (2, 2500), (3, 17), (3, 3999)] where k < writtenBlocks {
                let r = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse(Self.id(k, i))), limit: 10))
                #expect(r.count == 1 && r.events.first.map { String(decoding: $0.text, as: UTF8.self).contains("seq=\(i) ") } == true,
                        "block \(k) event \(i): \(r.count) matches")
                // The Bloom filters pick the segment holding it, not the block's five.
                #expect(r.segmentsScanned <= 2, "block \(k) event \(i): \(r.segmentsScanned) segments decoded")
            }
            let absent = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("0123456789abcdef0123")), limit: 10))
            #expect(absent.count == 0)
            let check = try reader.check()
            #expect(check.problems.isEmpty, "\(check.problems)")
        }
        // As committed: a row per bucket and block, read by the lookup through its block-first keys.
        let before = try rows(dir.path)
        #expect(before.fresh > 3 * 16 && before.merged == 0)
        try lookups()
        // Merged: a row per bucket.
        try writer.compactIndex()
        let merged = try rows(dir.path)
        #expect(merged.fresh == 0 && merged.merged == Int64(BucketBlooms.buckets))
        try lookups()
        // Another block after the merge: fresh rows next to merged ones, then merged into them.
        var batch = EventBatch()
        batch.blocks = [Self.block(3)]
        batch.counters.events = 4000
        try writer.append(batch)
        writtenBlocks = 4
        #expect(try rows(dir.path).fresh > 16)
        try lookups()
        try writer.compactIndex()
        let again = try rows(dir.path)
        #expect(again.fresh == 0 && again.merged == Int64(BucketBlooms.buckets))
        try lookups()
    }

    @Test func keysNameTheirBucketAndBlock() {
        for (bucket, block) in [(0, Int64(1)), (31, Int64(1) << 39), (17, 123_456)] {
            #expect(BucketBlooms.block(ofKey: BucketBlooms.key(bucket: bucket, block: block)) == block)
            #expect(BucketBlooms.bucket(ofKey: BucketBlooms.key(bucket: bucket, block: block)) == bucket)
            #expect(BucketBlooms.block(ofKey: BucketBlooms.freshKey(block: block, bucket: bucket)) == block)
            #expect(BucketBlooms.bucket(ofKey: BucketBlooms.freshKey(block: block, bucket: bucket)) == bucket)
            #expect(BucketBlooms.freshKey(block: block, bucket: bucket) >= BucketBlooms.freshKeys)
            #expect(BucketBlooms.key(bucket: bucket, block: block) < BucketBlooms.freshKeys)
        }
    }
}
