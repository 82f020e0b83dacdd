import Foundation
import LogCore
import Query
@testable import LogIndexer
import Testing

/// The segment table's per-segment summaries (levels, flags, time range) and the search that uses them: only
/// segments that may match are decoded, a top `limit` takes them newest first, and the answer is exactly what
/// reading every event gives.
@Suite struct SegmentSummaryTests {
    static let day: Int32 = 20_411
    static let base: Int64 = Int64(day) * 86_400_000_000_000

    /// 6,000 events of ~300 bytes (7 segments): one a second, every 40th a warning, one error at event 4,500;
    /// events 5,000..<5,200 carry times an hour earlier (a late batch), so segment time ranges overlap.
    static func block() -> EventBlock {
        var b = EventBlock(labels: StreamLabels(source: "seg", namespace: "shop", pod: "api-1", container: "api"), day: day)
        for i in 0..<6000 {
            let level: LogLevel = i == 4500 ? .error : i % 40 == 0 ? .warn : .info
            var text = Array("\(level == .info ? "INFO" : level == .warn ? "WARN" : "ERROR") request seq=\(i) took=\(i % 97)ms ".utf8)
            while text.count < 300 { text.append(UInt8(ascii: "z")) }
            let ns = base + Int64(i) * 1_000_000_000 - ((5000..<5200).contains(i) ? 3_600_000_000_000 : 0)
            text.withUnsafeBufferPointer { b.append(ns: ns, flags: [], level: level, format: .plain, body: $0) }
        }
        return b
    }

    @Test func theTableSummarisesEachSegmentAndADisagreeingSummaryIsCorruption() throws {
        let b = Self.block()
        let segments = SegmentedBlock.segments(of: b)
        #expect(segments.count == 7)
        let zstd = ZstdCodec(level: 3)
        var data = SegmentedBlock.encode(b, segments: segments, encoder: ColumnarSegmentEncoder(zstd: zstd))
        let table = try #require(try data.withUnsafeBytes { try SegmentedBlock.table($0) })
        #expect(table.summaries.count == 7)
        for (k, r) in segments.enumerated() {
            let s = table.summaries[k]
            #expect(s.minTs == b.timestamps[r].min() && s.maxTs == b.timestamps[r].max())
            #expect(s.levels == b.levels[r].reduce(Int64(0)) { $0 | 1 << Int64($1) })
        }
        #expect(table.summaries.filter { $0.levels & (1 << Int64(LogLevel.error.rawValue)) != 0 }.count == 1)
        // The level mask of the first segment is the byte after its first event (0) and length varints.
        var i = 4
        _ = try BlockCodec.getVarint(data, at: &i)  // segment count
        _ = try BlockCodec.getVarint(data, at: &i)  // first event
        _ = try BlockCodec.getVarint(data, at: &i)  // length
        data[i] ^= 1 << LogLevel.error.rawValue
        #expect(throws: StoreError.self) { _ = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day) } }
    }

    /// With a level mask, only the events of those levels are rebuilt; the others come back empty.
    @Test func aLevelMaskRebuildsOnlyThoseLevels() throws {
        let b = Self.block()
        let zstd = ZstdCodec(level: 3)
        let data = SegmentedBlock.encode(b, segments: SegmentedBlock.segments(of: b), encoder: ColumnarSegmentEncoder(zstd: zstd))
        let warn: Int64 = 1 << Int64(LogLevel.warn.rawValue)
        let parts = try data.withUnsafeBytes { try SegmentedBlock.decode($0, zstd: zstd, labels: b.labels, day: b.day, split: true, levels: warn) }
        var starts = [0]
        for l in b.lengths { starts.append(starts.last! + Int(l)) }
        var rebuilt = 0
        for (first, part) in parts {
            var offset = 0
            for i in 0..<part.count {
                let len = Int(part.lengths[i])
                if part.levels[i] == LogLevel.warn.rawValue {
                    #expect(part.bodies[offset..<(offset + len)].elementsEqual(b.bodies[starts[first + i]..<starts[first + i + 1]]))
                    rebuilt += 1
                } else {
                    #expect(len == 0)
                }
                offset += len
            }
        }
        #expect(rebuilt == 150)
    }

    @Test func searchesDecodeOnlySegmentsThatMayMatchAndAgreeWithAFullRead() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let b = Self.block()
        do {
            let writer = try EmbeddedStoreWriter(directory: dir.path)
            var batch = EventBatch()
            batch.blocks = [b]
            batch.counters.events = Int64(b.count)
            try writer.append(batch)
        }
        let reader = try EmbeddedStoreReader(directory: dir.path)
        func run(_ q: String, limit: Int, count: Bool = false) throws -> SearchResult {
            try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), limit: limit, countOnly: count))
        }
        // Expected answers from the events themselves.
        func newest(_ keep: (Int) -> Bool, _ n: Int) -> [Int64] {
            Array((0..<b.count).filter(keep).map { b.timestamps[$0] }.sorted(by: >).prefix(n))
        }
        let warn = { (i: Int) in i % 40 == 0 && i != 4500 }

        let error = try run("level:error", limit: 100)
        #expect(error.events.map(\.ns) == newest({ $0 == 4500 }, 100))
        #expect(error.segmentsScanned == 1, "level:error decoded \(error.segmentsScanned) of 7 segments")

        let top = try run("level:warn", limit: 20)
        #expect(top.events.map(\.ns) == newest(warn, 20))
        #expect(top.segmentsScanned < 7, "a top 20 decoded \(top.segmentsScanned) of 7 segments")

        // Deep enough to reach the late events an hour back: still exactly the newest.
        let deep = try run("level:warn", limit: 120)
        #expect(deep.events.map(\.ns) == newest(warn, 120))
        let all = try run("level:warn", limit: 10_000)
        #expect(all.events.map(\.ns) == newest(warn, 10_000))
        #expect(try run("level:warn", limit: 0, count: true).count == (0..<b.count).filter(warn).count)

        // A time range that only the late events' segment and its neighbours overlap.
        let from = Self.base + 4000 * 1_000_000_000 - 3_600_000_000_000, to = from + 300 * 1_000_000_000
        let ranged = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("*")), fromNs: from, toNs: to, limit: 50))
        let wanted = Array((0..<b.count).map { b.timestamps[$0] }.filter { $0 >= from && $0 <= to }.sorted(by: >).prefix(50))
        #expect(ranged.events.map(\.ns) == wanted)
        #expect(ranged.segmentsScanned <= 2)
        print("segment summaries: of 7 segments, level:error decoded \(error.segmentsScanned), level:warn top 20 \(top.segmentsScanned), "
              + "top 120 \(deep.segmentsScanned), all \(all.segmentsScanned), a 5-minute range \(ranged.segmentsScanned)")
    }

    /// Two pods logging through the same hour, a block each: a top `limit` takes their segments newest first across
    /// both blocks, not block by block, and stops at the first segment older than the oldest match it keeps.
    @Test func aTopLimitTakesSegmentsNewestFirstAcrossBlocks() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        var blocks: [EventBlock] = []
        for (pod, offset) in [("api-1", Int64(0)), ("api-2", Int64(500_000_000))] {
            var b = EventBlock(labels: StreamLabels(source: "seg", namespace: "shop", pod: pod, container: "api"), day: Self.day)
            for i in 0..<6000 {
                let level: LogLevel = i % 40 == 0 ? .warn : .info
                var text = Array("\(level == .warn ? "WARN" : "INFO") request seq=\(i) took=\(i % 97)ms ".utf8)
                while text.count < 300 { text.append(UInt8(ascii: "z")) }
                text.withUnsafeBufferPointer { b.append(ns: Self.base + Int64(i) * 1_000_000_000 + offset, flags: [], level: level, format: .plain, body: $0) }
            }
            blocks.append(b)
        }
        do {
            let writer = try EmbeddedStoreWriter(directory: dir.path)
            var batch = EventBatch()
            batch.blocks = blocks
            batch.counters.events = 12_000
            try writer.append(batch)
        }
        let reader = try EmbeddedStoreReader(directory: dir.path)
        let warnings = blocks.flatMap { b in (0..<b.count).filter { b.levels[$0] == LogLevel.warn.rawValue }.map { b.timestamps[$0] } }.sorted(by: >)
        for limit in [60, 100, 400] {
            let r = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("level:warn")), limit: limit))
            #expect(r.events.map(\.ns) == Array(warnings.prefix(limit)))
            // ~21 warnings a segment: the fewest segments that hold the newest `limit`, and one more per pod at most.
            let least = (limit + 20) / 21
            #expect(r.segmentsScanned <= least + 2, "top \(limit): \(r.segmentsScanned) segments decoded")
            print("two pods, top \(limit) warnings: \(r.segmentsScanned) segments decoded of 14 (\(least) hold them)")
            // The same through a phrase: each block's templates read once, compiled templates handed from segment
            // to segment (`LSG4`).
            let phrase = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("\"WARN request\"")), limit: limit))
            #expect(phrase.events.map(\.ns) == Array(warnings.prefix(limit)))
            #expect(phrase.events.map(\.text) == r.events.map(\.text))
        }
        // Every event's text back whole from many segments in a row, with the compiled templates lent along.
        let all = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("took")), limit: 20_000))
        #expect(all.events.count == 12_000)
        for e in all.events {
            let b = blocks[e.labels.pod == "api-1" ? 0 : 1]
            let i = Int((e.ns - Self.base - (e.labels.pod == "api-1" ? 0 : 500_000_000)) / 1_000_000_000)
            var want = "\(b.levels[i] == LogLevel.warn.rawValue ? "WARN" : "INFO") request seq=\(i) took=\(i % 97)ms "
            while want.utf8.count < 300 { want += "z" }
            #expect(e.text == Array(want.utf8))
        }
    }
}
