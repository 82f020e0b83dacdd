import Foundation
import LogCore
import Testing
@testable import LogIndexer

/// The chatter evidence measured per template at ingest (schema 3): mergeable across batches, and old stores migrate.
@Suite struct TemplateStatsTests {
    /// A probe every 10 s in two streams, and an order line with a fresh id each time.
    static func feed(_ b: BatchBuilder, takeEvery: Int?) -> [TemplateVolume] {
        var out: [TemplateVolume] = []
        let streams = [b.stream(for: StreamLabels(source: "a", namespace: "shop", pod: "web-1")),
                       b.stream(for: StreamLabels(source: "b", namespace: "shop", pod: "web-2"))]
        for i in 0..<60 {
            for (k, s) in streams.enumerated() {
                let ns = 1_795_089_600_000_000_000 + Int64(i) * 10_000_000_000 + Int64(k) * 1_000_000_000 + (i % 2 == 0 ? 100_000_000 : 0)
                let probe = Array("readiness probe answered ok in \(i % 7 + 1)ms".utf8)
                _ = probe.withUnsafeBufferPointer { b.add(stream: s, ns: ns, flags: [], level: .info, format: .plain, body: $0) }
                let order = Array("order ord-\(String(UInt64(i * 2 + k) &* 0x9E37_79B9_7F4A_7C15, radix: 16)) total $\(i).50 placed".utf8)
                _ = order.withUnsafeBufferPointer { b.add(stream: s, ns: ns + 3_000_000_000, flags: [], level: .info, format: .plain, body: $0) }
            }
            if let n = takeEvery, i % n == n - 1 { out += b.takeBatch().templates }
        }
        return out + b.takeBatch().templates
    }

    static func merged(_ volumes: [TemplateVolume], _ prefix: String) -> (events: Int64, stats: TemplateStats, pods: Set<String>) {
        var events: Int64 = 0, stats = TemplateStats(), pods = Set<String>()
        for v in volumes where v.text.hasPrefix(prefix) { events += v.events; stats.merge(v.stats); pods.formUnion(v.pods) }
        return (events, stats, pods)
    }

    @Test func statisticsMergeAcrossBatchesAsInOne() {
        let one = Self.feed(BatchBuilder(), takeEvery: nil), many = Self.feed(BatchBuilder(), takeEvery: 7)
        for prefix in ["readiness probe", "order"] {
            let a = Self.merged(one, prefix), b = Self.merged(many, prefix)
            #expect(a.events == 120 && b.events == 120)
            // 59 gaps per stream, also across batch boundaries.
            #expect(a.stats.gaps == 118 && b.stats.gaps == 118)
            #expect(abs(a.stats.gapSum - b.stats.gapSum) < 1e-6 && abs(a.stats.gapSquares - b.stats.gapSquares) < 1e-3)
            #expect(a.stats.sketch == b.stats.sketch && a.stats.traits == b.stats.traits)
            #expect(a.pods == ["shop/web-1", "shop/web-2"] && b.pods == a.pods)
        }
        let probe = Self.merged(one, "readiness probe").stats, order = Self.merged(one, "order").stats
        // Gaps alternate 10.1 s and 9.9 s: mean 10, spread 0.1.
        #expect(abs(probe.gapSum / Double(probe.gaps) - 10) < 0.01)
        // The probe is one line apart from its duration; every order differs (its id), and carries an amount.
        #expect(probe.sketch.nonzeroBitCount == 1 && probe.traits == 0)
        #expect(order.sketch.nonzeroBitCount > 40 && order.traits == 3)
    }

    @Test func schemaTwoStoresMigrateAndKeepTheirTemplates() throws {
        let t = TempDir()
        defer { t.cleanup() }
        let log = t.file("app.log", (0..<30).map { "2026-11-19T10:00:\(String(format: "%02d", $0))Z INFO heartbeat sent seq=\($0)" }.joined(separator: "\n") + "\n")
        let dir = t.path + "/data"
        _ = try ingest([log], into: dir)
        // Back to what schema 2 wrote.
        do {
            let db = try SQLiteConnection(path: dir + "/logsift.db")
            try db.execute("""
            DROP TABLE template_pods; DROP TABLE IF EXISTS saved_searches;
            ALTER TABLE template_days DROP COLUMN gaps; ALTER TABLE template_days DROP COLUMN gap_sum;
            ALTER TABLE template_days DROP COLUMN gap_squares; ALTER TABLE template_days DROP COLUMN repeats;
            ALTER TABLE template_days DROP COLUMN sketch; ALTER TABLE template_days DROP COLUMN traits;
            PRAGMA user_version = 2;
            """)
        }
        _ = try ingest([log], into: dir)
        let db = try SQLiteConnection(path: dir + "/logsift.db", readOnly: true)
        #expect(try db.scalarInt("PRAGMA user_version") == EmbeddedStore.schemaVersion)
        let v = try #require(try EmbeddedStoreReader(directory: dir).templateVolumes(fromNs: Int64.min, toNs: Int64.max).first)
        #expect(v.events == 60)
        // Only the second ingest was measured: 29 gaps of 1 s, one source.
        #expect(v.stats.gaps == 29 && abs(v.stats.gapSum - 29) < 1e-6)
        #expect(v.podCount == 1)
    }
}
