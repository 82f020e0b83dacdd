import Foundation
import Testing
import LogCore
import Query
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
        2026-11-19T10:00:02Z INFO GET /healthz 503
        2026-11-19T10:00:03Z WARN a-b and a'b and "quoted" NEAR x*y
        """ + "\n")
        try ingest([f], into: tmp.path + "/d")
        func texts(_ p: SearchPredicate) throws -> [String] { try search(tmp.path + "/d", p).map(\.string) }
        #expect(try texts(.match(field: nil, .phrase("error"))).count == 1)
        #expect(try texts(.match(field: nil, .phrase("CONNECTION REFUSED"))).count == 1)
        #expect(try texts(.match(field: nil, .wildcard(["err", ""]))).count == 2)
        #expect(try texts(.match(field: nil, .phrase("/healthz"))).count == 1)
        #expect(try texts(.match(field: nil, .phrase("healthz 503"))).count == 1)  // a failed check: the default pack keeps it
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
    /// Found by the `kql` libFuzzer target: a `field:value` search asks the full-text index for the words of the
    /// unescaped value, which the stored text may hold only escaped (`\nfailed` is the word `nfailed`; Python's
    /// `ensure_ascii` writes `caf\u00e9`; Go writes `<` as `\u003c`), so the index skipped blocks that match.
    @Test func fieldSearchesFindValuesThatAreStoredEscaped() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        // One file per line: each event in a block of its own, so no other event's words cover for it.
        let files = [
            #"{"level":"info","msg":"step one\nfailed badly","user":"\u0041nn"}"#,
            #"{"level":"info","msg":"caf\u00e9 open","s":"\u00e9","trace":"4bf92f35\u0037\u0037b34da6a3ce929d0e0e4736"}"#,
            #"{"level":"info","msg":"a\u003cb\u003e","nested":{"k":"tab\there"}}"#,
            #"level=info msg="step two\nfailed too" path="\/x""#,
            #"2026-11-19T10:00:00Z INFO component=api msg="tab\tsep""#,
        ].enumerated().map { tmp.file("f\($0.offset).log", $0.element + "\n") }
        var options = IngestOptions()
        options.filters = nil
        for f in files { try ingest([f], into: tmp.path + "/d", options: options) }
        func count(_ q: SearchPredicate) throws -> Int { try search(tmp.path + "/d", q).count }
        #expect(try count(.match(field: "msg", .phrase("failed"))) == 2)
        #expect(try count(.match(field: "user", .phrase("Ann"))) == 1)
        #expect(try count(.match(field: "s", .phrase("é"))) == 1)
        #expect(try count(.match(field: "msg", .phrase("café open"))) == 1)
        #expect(try count(.match(field: "trace", .phrase("4bf92f3577b34da6a3ce929d0e0e4736"))) == 1)
        #expect(try count(.match(field: "msg", .phrase("b"))) == 1)
        #expect(try count(.match(field: "nested.k", .phrase("tab\there"))) == 1)
        #expect(try count(.match(field: "msg", .phrase("sep"))) == 1)
        // Free text still means the stored text as written.
        #expect(try count(.match(field: nil, .phrase("nfailed"))) == 2)
        #expect(try count(.match(field: nil, .phrase("failed"))) == 0)
    }

    /// Found by the `kql` libFuzzer target: terms are cut at 64 bytes, and a cut inside a multi-byte character left
    /// the query's term (decoded to text, so ending in U+FFFD) different from the indexed one: a run of 22+ CJK
    /// characters (one term: no spaces) was never found, nor an identifier-like one through the Bloom filter.
    @Test func longNonASCIITermsCutInsideACharacterAreFound() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let words = "数据库连接失败请稍后重试并检查网络配置是否正确以及服务是否可用"  // 31 characters, 93 bytes
        let id = "订单2025111900001处理失败原因是库存不足请联系仓库管理员处理后再试"  // has digits: identifier-like
        let emoji = String(repeating: "😀", count: 17)  // 68 bytes: cut inside the 17th
        let f = tmp.file("cjk.log", ["2026-11-19T10:00:00Z ERROR \(words)", "2026-11-19T10:00:01Z ERROR \(id)",
                                     "2026-11-19T10:00:02Z INFO \(emoji)"].joined(separator: "\n") + "\n")
        try ingest([f], into: tmp.path + "/d")
        func count(_ q: SearchPredicate) throws -> Int { try search(tmp.path + "/d", q).count }
        #expect(try count(.match(field: nil, .phrase(words))) == 1)
        #expect(try count(.match(field: "message", .phrase(words))) == 1)
        #expect(try count(.match(field: nil, .phrase(id))) == 1)
        #expect(try count(.match(field: nil, .phrase(emoji))) == 1)
        #expect(try count(.match(field: nil, .wildcard([String(words.prefix(10)), ""]))) == 1)
        #expect(Tokenizer.terms(of: words) == [String(words.prefix(21))])
    }

    /// Found by the `kql` libFuzzer target: a wildcard with separators (`d *m`) matches anywhere in free text and
    /// in `message`, so its first word may end a longer word ("killed") and its last may begin one; the index
    /// asked for the whole words "d" and "m" and skipped the block.
    @Test func wildcardsWithSeparatorsMatchInsideWords() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        // Separate files (streams, blocks): the second's words must not cover for the first.
        let killed = tmp.file("killed.log", #"{"level":"error","msg":"pod killed deployment paused"}"# + "\n")
        let user = tmp.file("user.log", #"{"level":"info","user":"d m"}"# + "\n")
        try ingest([killed], into: tmp.path + "/d")
        try ingest([user], into: tmp.path + "/d")
        func count(_ q: SearchPredicate) throws -> Int { try search(tmp.path + "/d", q).count }
        #expect(try count(.match(field: nil, .wildcard(["d ", "m"]))) == 2)
        #expect(try count(.match(field: "msg", .wildcard(["d ", "m"]))) == 2)  // without `msg`, the message is the text
        #expect(try count(.match(field: "msg", .wildcard(["ed dep", "ent pa"]))) == 1)
        #expect(try count(.match(field: "user", .wildcard(["d ", "m"]))) == 1)
        #expect(try count(.match(field: "user", .wildcard(["ed ", "m"]))) == 0)
    }

    /// A prefix finds the words it begins that no full-text index holds: identifiers (in the Bloom filters) and
    /// number-like words (in no index); the index asked for the prefix and skipped their blocks.
    @Test func prefixesFindWordsTheIndexLeavesOut() throws {
        let tmp = TempDir()
        defer { tmp.cleanup() }
        let f = tmp.file("p.log", ["2026-11-19T10:00:00Z INFO token abc12345678 issued", "2026-11-19T10:00:01Z INFO listening on 8080",
                                   "2026-11-19T10:00:02Z INFO took 11ms"].joined(separator: "\n") + "\n")
        try ingest([f], into: tmp.path + "/d")
        func count(_ glob: String) throws -> Int {
            try search(tmp.path + "/d", SearchPredicate(try KQL.parse(glob))).count
        }
        #expect(try count("abc*") == 1)
        #expect(try count("808*") == 1)
        #expect(try count("11m*") == 1)
        #expect(try count("token abc*") == 1)
        #expect(try count("issu*") == 1)
        #expect(try count("xyz*") == 0)
    }

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
