import Foundation
import Testing
import LogCore
import Query
@testable import LogIndexer
import TestSupport

/// `migrate`: a data directory copied into ClickHouse and back answers every query, failure, rollout and score
/// figure as the original; a migration stopped midway and run again copies each event once.
@Suite(.serialized) struct StoreMigrationTests {
    static func agree(_ a: any MigrationSource & DeploymentReader & ScoreReader, _ b: any MigrationSource & DeploymentReader & ScoreReader) throws {
        for q in ClickHouseStoreTests.queries {
            let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), limit: 10_000)
            #expect(try a.search(request).events.map(ClickHouseStoreTests.key).sorted() == b.search(request).events.map(ClickHouseStoreTests.key).sorted(), "\(q)")
        }
        func groups(_ r: any DeploymentReader) throws -> [String] {
            try r.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil).map { "\($0.deployment) \($0.version) \($0.template) \($0.events) \($0.example)" }.sorted()
        }
        #expect(try groups(a) == groups(b))
        #expect(try a.rollouts(deployment: nil, fromNs: .min, toNs: .max) == b.rollouts(deployment: nil, fromNs: .min, toNs: .max))
        #expect(try a.stats().counters == b.stats().counters)
        let start = try #require(Timestamp.parse("2026-11-16T00:00:00Z")), week: Int64 = 7 * 86_400_000_000_000
        #expect(ClickHouseScoreTests.comparable(try a.scoreFigures(fromNs: start, toNs: start + week, nowNs: start + week, parallelismWindowNs: 1_800_000_000_000))
                == ClickHouseScoreTests.comparable(try b.scoreFigures(fromNs: start, toNs: start + week, nowNs: start + week, parallelismWindowNs: 1_800_000_000_000)))
    }

    @Test func aDataDirectoryMovesToClickHouseAndBackStoppedMidwayAndResumed() throws {
        guard let server = try ClickHouseServer.start("migrate") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: ClickHouseStoreTests.input(dir))
        let original = try EmbeddedStoreReader(directory: dir.path + "/data")
        let total = try original.search(SearchRequest(predicate: .all, countOnly: true)).count
        #expect(total > 500)

        // Into ClickHouse: stopped after 4 batches (of at most 50 events per stream), then run to the end.
        let config = server.config(database: "migrated")
        let writer = try ClickHouseWriter(config), reader = try ClickHouseReader(config)
        let first = try StoreMigration(from: original, to: writer, reading: reader, stopAfterBatches: 4, blockEvents: 50).run()
        #expect(first.batches == 4 && !first.aggregatesCopied)
        let partial = try reader.search(SearchRequest(predicate: .all, countOnly: true)).count
        #expect(partial > 0 && partial < total)
        let second = try StoreMigration(from: original, to: writer, reading: reader, blockEvents: 50).run()
        #expect(second.eventsSkipped == Int64(partial))
        #expect(second.events == Int64(total - partial))
        #expect(second.aggregatesCopied)
        try Self.agree(original, reader)
        let checked = try reader.check()
        #expect(checked.problems.isEmpty && checked.events == Int64(total))
        // Run again: nothing to copy.
        let third = try StoreMigration(from: original, to: writer, reading: reader).run()
        #expect(third.events == 0 && !third.aggregatesCopied && third.batches == 0)

        // And back into a new data directory.
        let back = try EmbeddedStoreWriter(directory: dir.path + "/back")
        let backReader = try EmbeddedStoreReader(directory: dir.path + "/back")
        let backed = try StoreMigration(from: reader, to: back, reading: backReader).run()
        #expect(backed.events == Int64(total) && backed.aggregatesCopied)
        // (A reader opened before the first partition existed does not see it: read with a new one.)
        try Self.agree(original, try EmbeddedStoreReader(directory: dir.path + "/back"))
        #expect(try EmbeddedStoreReader(directory: dir.path + "/back").check().problems.isEmpty)

        // A destination holding other data is refused.
        let files = ClickHouseStoreTests.input(dir)
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/small") }.run(inputs: [files[0]])
        #expect(throws: StoreMigration.Conflict.self) {
            _ = try StoreMigration(from: try EmbeddedStoreReader(directory: dir.path + "/small"), to: writer, reading: reader).run()
        }
    }
}
