import Foundation
import Testing
import LogCore
@testable import LogIndexer

@Suite struct StoreTests {
    @Test func ingestThenSearchRoundTripsEveryEvent() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        var lines: [String] = []
        for i in 0..<5000 {
            lines.append("2026-11-\(19 + i % 3)T10:00:\(String(format: "%02d", i % 60)).\(String(format: "%06d", i))Z stdout F {\"level\":\"\(i % 50 == 0 ? "error" : "info")\",\"msg\":\"request \(i) done\",\"user_id\":\(i % 7),\"path\":\"/api/v1/items/\(i)\"}")
        }
        let file = tmp.file("var/log/containers/payments-7d4b9c8f5d-x2x4p_shop_payments-0c6a7d1e11114a2b9c3d5e6f7a8b9c0d.log", lines.joined(separator: "\n") + "\n")
        let summary = try ingest([file], into: tmp.path + "/data")
        #expect(summary.counters.events == 5000)
        #expect(summary.counters.linesRead == 5000)

        let reader = try EmbeddedStoreReader(directory: tmp.path + "/data")
        let stats = try reader.stats()
        #expect(stats.counters.events == 5000)
        #expect(stats.partitions.count == 3)
        #expect(stats.bytesStoredData > 0 && stats.bytesStoredIndex > 0)

        let all = try reader.search(SearchRequest(predicate: .all, limit: 10_000))
        #expect(all.events.count == 5000)
        #expect(zip(all.events, all.events.dropFirst()).allSatisfy { $0.ns >= $1.ns })
        #expect(Set(all.events.map(\.string)) == Set(lines.map { String($0.split(separator: " ", maxSplits: 3)[3]) }))
        let e = all.events[0]
        #expect(e.labels.deployment == "payments" && e.labels.version == "7d4b9c8f5d" && e.labels.namespace == "shop")
        #expect(e.labels.pod == "payments-7d4b9c8f5d-x2x4p" && e.labels.container == "payments" && e.labels.stream == "stdout")

        let count = try reader.search(SearchRequest(predicate: .match(field: "level", .phrase("error")), countOnly: true))
        #expect(count.count == 100)
        let one = try search(tmp.path + "/data", .match(field: nil, .phrase("request 4242 done")))
        #expect(one.map(\.string) == [lines[4242].components(separatedBy: " F ")[1]])
        let field = try reader.search(SearchRequest(predicate: .and([.match(field: "user_id", .phrase("3")), .match(field: "level", .phrase("error"))]), countOnly: true))
        #expect(field.count == (0..<5000).filter { $0 % 50 == 0 && $0 % 7 == 3 }.count)
    }

    @Test func wordsMatchWholeWordsCaseInsensitively() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let f = tmp.file("app.log", """
        2026-11-19T10:00:00Z ERROR connection refused by db-1
        2026-11-19T10:00:01Z INFO errors: 0, terror level low
        2026-11-19T10:00:02Z INFO GET /healthz 200
        2026-11-19T10:00:03Z WARN a-b and a'b and "quoted" NEAR x*y
        """ + "\n")
        try ingest([f], into: tmp.path + "/d")
        func texts(_ p: SearchPredicate) throws -> [String] { try search(tmp.path + "/d", p).map(\.string) }
        #expect(try texts(.match(field: nil, .phrase("error"))).count == 1)
        #expect(try texts(.match(field: nil, .phrase("CONNECTION REFUSED"))).count == 1)
        #expect(try texts(.match(field: nil, .wildcard(["err", ""]))).count == 2)
        #expect(try texts(.match(field: nil, .phrase("/healthz"))).count == 1)
        #expect(try texts(.match(field: nil, .phrase("healthz 200"))).count == 1)
        for hostile in ["a-b", "a'b", "\"quoted\"", "NEAR", "x*y", "\"", "'", "(", "AND", "*"] {
            _ = try texts(.match(field: nil, .phrase(hostile)))
        }
        #expect(try texts(.match(field: nil, .phrase("a-b"))).count == 1)
        #expect(try texts(.match(field: nil, .phrase("NEAR"))).count == 1)
        #expect(try texts(.match(field: "level", .phrase("warn"))).count == 1)
        #expect(try texts(.range(field: "level", op: .gte, value: "warn")).count == 2)
        #expect(try texts(.not(.match(field: nil, .phrase("error")))).count == 3)
    }

    @Test func aLineOverTheLimitIsCutMarkedAndCounted() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let big = String(repeating: "z", count: 300_000)
        let f = tmp.file("big.log", "before\n\(big)\nafter\n")
        var options = IngestOptions()
        options.limits.maxBytes = 64 * 1024
        let s = try ingest([f], into: tmp.path + "/d", options: options)
        #expect(s.counters.truncated == 1)
        #expect(s.counters.events == 3)
        #expect(s.counters.bytesReceived == Int64(7 + 300_001 + 6))
        let cut = try search(tmp.path + "/d", .match(field: nil, .wildcard(["zz", ""])))
        #expect(cut.count == 1)
        #expect(cut[0].flags.contains(.truncated))
        #expect(cut[0].string.hasSuffix(LineCheck.truncationMarkerText))
        #expect(try search(tmp.path + "/d", .match(field: nil, .phrase("after"))).count == 1)
    }

    @Test func aMissingInputIsReportedAndTheRestIsIngested() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let f = tmp.file("ok.log", "hello\n")
        let s = try ingest([tmp.path + "/missing.log", f], into: tmp.path + "/d")
        #expect(s.failures.count == 1)
        #expect(s.counters.events == 1)
    }

    @Test func searchingAMissingDirectorySaysSo() {
        #expect(throws: StoreError.self) { try EmbeddedStoreReader(directory: "/nonexistent/logsift-data") }
    }
}

@Suite struct IdentifierSearchTests {
    @Test func requestIdsAreFoundThroughTheBloomFilter() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        var lines: [String] = []
        for i in 0..<20_000 {
            lines.append("2026-11-19T10:00:00Z INFO handled request_id=\(String(format: "%08x%08x", i &* 2_654_435_761, i)) user=\(100_000 + i)")
        }
        let f = tmp.file("ids.log", lines.joined(separator: "\n") + "\n")
        var options = IngestOptions()
        options.batchBytes = 64 * 1024 // many blocks
        try ingest([f], into: tmp.path + "/d", options: options)
        let reader = try EmbeddedStoreReader(directory: tmp.path + "/d")
        let id = String(format: "%08x%08x", 12_345 &* 2_654_435_761, 12_345)
        let r = try reader.search(SearchRequest(predicate: .match(field: nil, .phrase(id))))
        #expect(r.events.count == 1)
        #expect(r.blocksScanned < 5, "the Bloom filter should skip nearly all blocks, scanned \(r.blocksScanned)")
        let user = try reader.search(SearchRequest(predicate: .and([.match(field: nil, .phrase("user=112345")), .match(field: nil, .phrase("handled"))])))
        #expect(user.events.count == 1)
        #expect(try reader.search(SearchRequest(predicate: .match(field: nil, .phrase("deadbeefdeadbeef")))).events.isEmpty)
    }
}
