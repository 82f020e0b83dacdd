import Foundation
import Testing
import LogCore
@testable import LogIndexer
import TestSupport

/// Scores, reports and rule suggestions read the same figures from both stores: everything but the bytes on disk
/// (each store's own layout) agrees on the same input.
@Suite(.serialized) struct ClickHouseScoreTests {
    /// The figures with what differs by design (bytes on disk) taken out, and float sums rounded (the engines add
    /// in different orders).
    static func comparable(_ f: ScoreFigures) -> String {
        var f = f
        func strip(_ c: inout ScopeCounts) { c.bytesStoredData = 0; c.bytesStoredIndex = 0 }
        strip(&f.overall)
        for i in f.deployments.indices { strip(&f.deployments[i]) }
        for i in f.daily.indices { f.daily[i].bytesStoredData = 0; f.daily[i].bytesStoredIndex = 0 }
        for i in f.templates.indices {
            f.templates[i].stats.gapSum = f.templates[i].stats.gapSum.rounded()
            f.templates[i].stats.gapSquares = (f.templates[i].stats.gapSquares / 1e6).rounded()
        }
        return """
            \(f.fromNs) \(f.toNs) \(f.coveredFromNs) \(f.coveredToNs)
            \(f.overall)
            \(f.deployments)
            \(f.ruleRemovals)
            \(f.daily)
            \(f.templates.map { "\($0.id) \($0.text) \($0.events) \($0.bytes) \($0.firstNs) \($0.lastNs) \($0.maxLevel) \($0.inFailureContext) \($0.stats) \($0.podCount)" })
            \(f.failureGroups.map { "\($0.deployment) \($0.version) \($0.template) \($0.kind) \($0.events) \($0.example)" }.sorted())
            \(f.rollouts)
            """
    }

    @Test func scoreFiguresAgreeBetweenTheStores() throws {
        guard let server = try ClickHouseServer.start("ClickHouse score figures") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let files = ClickHouseStoreTests.input(dir)
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: files)
        let config = server.config(database: "scores")
        _ = try Ingestor(options: IngestOptions()) { try ClickHouseWriter(config) }.run(inputs: files)
        let embedded = try EmbeddedStoreReader(directory: dir.path + "/data"), clickHouse = try ClickHouseReader(config)
        let day: Int64 = 86_400_000_000_000
        let start = try #require(Timestamp.parse("2026-11-16T00:00:00Z"))
        let now = start + 7 * day
        // The week, one hour of it, and a range past the data.
        for (from, to) in [(start, start + 7 * day), (start + 3 * day + 10 * 3_600_000_000_000, start + 3 * day + 11 * 3_600_000_000_000),
                           (start + 8 * day, start + 9 * day)] {
            let a = try embedded.scoreFigures(fromNs: from, toNs: to, nowNs: now, parallelismWindowNs: 1_800_000_000_000)
            let b = try clickHouse.scoreFigures(fromNs: from, toNs: to, nowNs: now, parallelismWindowNs: 1_800_000_000_000)
            #expect(Self.comparable(a) == Self.comparable(b))
            #expect(b.overall.bytesStoredData > 0 || b.isEmpty)
        }
        let week = try embedded.scoreFigures(fromNs: start, toNs: start + 7 * day, nowNs: now, parallelismWindowNs: 1_800_000_000_000)
        #expect(week.overall.stored.events > 500 && week.overall.noise.dropped.events > 0 && week.overall.failures > 0)
        #expect(!week.templates.isEmpty)
        #expect(!week.ruleRemovals.isEmpty)
        #expect(week.overall.podDays > 0)
        // The per-deployment split of chosen templates, and suggestions' template volumes.
        let ids = Set(week.templates.prefix(5).map(\.id))
        #expect(try embedded.templateBytesByDeployment(ids, fromNs: start, toNs: start + 7 * day)
                == clickHouse.templateBytesByDeployment(ids, fromNs: start, toNs: start + 7 * day))
        let va = try embedded.templateVolumes(fromNs: start, toNs: now), vb = try clickHouse.templateVolumes(fromNs: start, toNs: now)
        #expect(va.map { "\($0.id) \($0.events) \($0.bytes) \($0.podCount) \($0.stats.sketch)" } == vb.map { "\($0.id) \($0.events) \($0.bytes) \($0.podCount) \($0.stats.sketch)" })
    }
}
