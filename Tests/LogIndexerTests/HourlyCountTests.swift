import Foundation
import Testing
import LogCore
import Query
@testable import LogIndexer

/// `--count` of a query that labels and level decide is summed from the hourly counts: it must equal the events
/// a full search finds, with open ranges and with ranges that cut hours at both ends.
@Suite struct HourlyCountTests {
    @Test func countsFromHourlyTablesEqualTheEventsFound() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: ClickHouseStoreTests.input(dir))
        let reader = try EmbeddedStoreReader(directory: dir.path + "/data")
        let t = { (s: String) in Timestamp.parse(s)! }
        let ranges: [(Int64, Int64)] = [(.min, .max), (t("2026-11-19T09:00:15Z"), t("2026-11-19T10:05:10.5Z")), (t("2026-11-19T10:03:00Z"), .max)]
        for q in ["level:error", "level >= warn", "deployment:cart and level:info", "stream:stderr", "not level:info", "pod:pay* or level:fatal"] {
            for (from, to) in ranges {
                let predicate = SearchPredicate(try KQL.parse(q))
                let counted = try reader.search(SearchRequest(predicate: predicate, fromNs: from, toNs: to, countOnly: true)).count
                let found = try reader.search(SearchRequest(predicate: predicate, fromNs: from, toNs: to, limit: .max)).events.count
                #expect(counted == found, "\(q) \(from) \(to)")
                if from == .min { #expect(counted > 0, "\(q)") }
            }
        }
    }

    @Test func failureCountsOverWholeDaysEqualTheEventsFound() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: ClickHouseStoreTests.input(dir))
        let reader = try EmbeddedStoreReader(directory: dir.path + "/data")
        let day = Timestamp.parse("2026-11-19T00:00:00Z")!, dayNs: Int64 = 86_400_000_000_000
        // Whole days (counted from the daily table), and a cut day (read event by event): the same as a full search.
        for (from, to) in [(Int64.min, Int64.max), (day, day + dayNs - 1), (day + dayNs, Int64.max), (day + 3_600_000_000_000, Int64.max)] {
            let p = SearchPredicate(try KQL.parse("kind:failure"))
            let counted = try reader.search(SearchRequest(predicate: p, fromNs: from, toNs: to, countOnly: true)).count
            let found = try reader.search(SearchRequest(predicate: p, fromNs: from, toNs: to, limit: 1_000_000)).events.count
            #expect(counted == found, "\(from) \(to)")
        }
        #expect(try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("kind:failure")), countOnly: true)).count > 0)
    }
}
