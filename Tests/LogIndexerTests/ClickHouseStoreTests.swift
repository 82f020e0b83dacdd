import Foundation
import Testing
import LogCore
import Query
@testable import LogIndexer
import TestSupport

/// The ClickHouse store against a real clickhouse-server: the same input ingested into it and into the embedded
/// store answers every query with the same events; hostile query text never reaches SQL; a batch is stored once.
@Suite(.serialized) struct ClickHouseStoreTests {
    static let id = String(repeating: "5e4d3c2b", count: 8)

    /// Two deployments' container logs (JSON, plain text with a trace, probes the default pack drops, odd bytes)
    /// and a CI log without labels.
    static func input(_ dir: TempDir) -> [String] {
        var payments = "", cart = ""
        for i in 0..<400 {
            let t = String(format: "2026-11-19T10:%02d:%02d.%03dZ", i / 60 % 60, i % 60, i % 1000)
            if i % 7 == 0 {
                let clf = String(format: "19/Nov/2026:10:%02d:%02d +0000", i / 60 % 60, i % 60)
                payments += "\(t) stdout F 10.0.0.9 - - [\(clf)] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"\n"
            }
            let level = i % 13 == 0 ? "error" : i % 5 == 0 ? "warn" : "info"
            let msg = i % 13 == 0 ? "charge failed: connection refused" : "payment authorized for order \(1000 + i)"
            payments += "\(t) stdout F {\"level\":\"\(level)\",\"msg\":\"\(msg)\",\"user_id\":\(i % 17),\"http.status\":\(i % 13 == 0 ? 502 : 200)}\n"
            if i % 40 == 0 {
                cart += "\(t) stderr F \(t.replacingOccurrences(of: "T", with: " ").dropLast()) ERROR cart.api: checkout failed\n"
                cart += "\(t) stderr F Traceback (most recent call last):\n"
                cart += "\(t) stderr F   File \"/app/cart.py\", line 12, in checkout\n"
                cart += "\(t) stderr F KeyError: 'price'\n"
            } else {
                cart += "\(t) stdout F \(t.replacingOccurrences(of: "T", with: " ").dropLast()) INFO cart.api: cart \(i) has \(i % 9) items, quote ' and backslash \\\\ \n"
            }
        }
        var odd: [UInt8] = Array("2026-11-19T10:30:00.000Z stdout F bytes: ".utf8) + [0xFF, 0xFE, 0x00, 0x41] + Array(" end\n".utf8)
        odd += Array("2026-11-19T10:30:01.000Z stdout F tab\there 'quoted' \"double\" ünïcödé\n".utf8)
        let ci = "[2026-11-19T09:00:00.000Z] Obtained Jenkinsfile from git https://github.com/example/cart.git\n"
            + "[2026-11-19T09:00:10.000Z] + go test ./...\n[2026-11-19T09:00:20.000Z] --- FAIL: TestTotals (0.01s)\n[2026-11-19T09:00:21.000Z] Finished: FAILURE\n"
        let build = "[2026-11-19T09:30:00.000Z] Obtained Jenkinsfile from git https://github.com/example/cart.git\n"
            + "[2026-11-19T09:30:01.000Z] Checking out Revision a1b2c3d4e5f60718293a4b5c6d7e8f9012345678 (refs/remotes/origin/main)\n"
            + "[2026-11-19T09:31:00.000Z] Successfully tagged registry.example.com/shop/cart:2.0.0\n"
        let node = #"Nov 19 09:59:00 node-a kubelet[812]: I1119 09:59:00.000000     812 kuberuntime_image.go:60] "Pulling image" image="registry.example.com/shop/cart:2.0.0" pod="shop/cart-6c8b7d9f4-k9z7q""# + "\n"
        return [
            dir.file("var/log/containers/payments-7d4b9c8f5d-x2x4p_shop_payments-\(id).log", payments),
            dir.file("var/log/containers/cart-6c8b7d9f4-k9z7q_shop_cart-\(id).log", cart),
            dir.file("var/log/containers/odd-5f7d8c9b6-q2w4r_shop_odd-\(id).log", bytes: odd),
            dir.file("ci/cart-main-12.log", ci), dir.file("ci/cart-main-13.log", build), dir.file("node-a.log", node),
        ]
    }

    static let queries = [
        "*", "level:error", "\"connection refused\"", "deployment:payments and not level:info", "user_id:3", "http.status >= 500",
        "kind:failure", "rescued:true", "pod:pay*", "message:charge*", "@timestamp >= \"2026-11-19T10:03:00Z\" and deployment:cart",
        "stream:stderr or level:warn", "KeyError", "items and not Traceback", "source:*cart-main*", "deployment:cart and kind:failure",
        "ünïcödé", "quote", "\"'quoted'\"", "multiline:true", "level >= warn",
        // Negations and ors of what SQL says exactly, and of what it only narrows.
        "not (level:error or kind:failure)", "rescued:false and level >= warn", "kind:crash-loop or deployment:cart",
        "not stream:stdout and not level:info", "not items", "level:error or KeyError",
    ]

    func search(_ r: any LogReader, _ q: String, limit: Int = 10_000, count: Bool = false) throws -> SearchResult {
        try r.search(SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), limit: limit, countOnly: count))
    }

    static func key(_ e: StoredEvent) -> String {
        "\(e.ns) \(e.labels.source) \(e.labels.stream) \(e.labels.deployment) \(e.level) \(e.flags.rawValue) \(e.template) " + String(decoding: e.text, as: UTF8.self)
    }

    @Test func bothBackendsAnswerEveryQueryWithTheSameEvents() throws {
        guard let server = try ClickHouseServer.start("ClickHouse backend conformance") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let files = Self.input(dir)
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: files)
        let config = server.config(database: "conformance")
        _ = try Ingestor(options: IngestOptions()) { try ClickHouseWriter(config) }.run(inputs: files)
        let embedded = try EmbeddedStoreReader(directory: dir.path + "/data"), clickHouse = try ClickHouseReader(config)
        for q in Self.queries {
            let a = try search(embedded, q), b = try search(clickHouse, q)
            #expect(a.events.map(Self.key).sorted() == b.events.map(Self.key).sorted(), "\(q)")
            #expect(a.count == b.count, "\(q)")
            #expect(a.count > 0, "\(q) finds nothing: the comparison says little")
            #expect(try search(embedded, q, count: true).count == search(clickHouse, q, count: true).count, "\(q)")
            // Newest first, and a small limit takes the same newest events.
            let top = try search(clickHouse, q, limit: 5).events.map(\.ns)
            #expect(top == top.sorted(by: >), "\(q)")
            #expect(top == Array(a.events.map(\.ns).sorted(by: >).prefix(5)), "\(q)")
        }
        #expect(try search(embedded, "*", count: true).count > 500)
        // Histograms agree; so does the context of hits (the container's log, both streams, in time order) where no
        // rule dropped anything: the embedded store shows rescued events where they were stored (right before
        // the failure they came back with), ClickHouse strictly by their own times.
        var unfiltered = IngestOptions()
        unfiltered.filters = nil
        _ = try Ingestor(options: unfiltered) { try EmbeddedStoreWriter(directory: dir.path + "/all") }.run(inputs: files)
        let allConfig = server.config(database: "conformance_all")
        _ = try Ingestor(options: unfiltered) { try ClickHouseWriter(allConfig) }.run(inputs: files)
        let embeddedAll = try EmbeddedStoreReader(directory: dir.path + "/all"), clickHouseAll = try ClickHouseReader(allConfig)
        for q in ["*", "level:error", "kind:failure", "deployment:cart"] {
            let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(q)))
            #expect(try embedded.histogram(request, intervalNs: 60_000_000_000).buckets == clickHouse.histogram(request, intervalNs: 60_000_000_000).buckets, "\(q)")
            let ha = try search(embeddedAll, q, limit: 3).events, hb = try search(clickHouseAll, q, limit: 3).events
            #expect(ha.map(Self.key) == hb.map(Self.key), "\(q)")
            for (x, y) in zip(ha, hb) {
                let ca = try embeddedAll.context(of: x, before: 4, after: 4), cb = try clickHouseAll.context(of: y, before: 4, after: 4)
                #expect(ca.before.map(Self.key) == cb.before.map(Self.key), "\(q)")
                #expect(ca.after.map(Self.key) == cb.after.map(Self.key), "\(q)")
            }
        }
        // Failures and rollouts: the same groups, totals and timeline.
        func group(_ g: FailureGroup) -> String {
            "\(g.deployment)|\(g.version)|\(g.template)|\(g.templateText)|\(g.kind)|\(g.events)|\(g.contextFull)|\(g.firstNs)|\(g.lastNs)|"
                + "\(g.introducedBy)|\(g.introducedNs)|\(g.traced)|\(g.example)|\(g.stream)"
        }
        let ga = try embedded.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil)
        #expect(ga.count >= 3)
        #expect(ga.map(group).sorted() == (try clickHouse.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil)).map(group).sorted())
        #expect(try embedded.failureGroups(deployment: "cart", fromNs: .min, toNs: .max, limit: nil).map(group).sorted()
                == clickHouse.failureGroups(deployment: "cart", fromNs: .min, toNs: .max, limit: nil).map(group).sorted())
        let ta = try embedded.failureTotals(fromNs: .min, toNs: .max), tb = try clickHouse.failureTotals(fromNs: .min, toNs: .max)
        #expect(ta.mapValues { "\($0.events) \($0.groups)" } == tb.mapValues { "\($0.events) \($0.groups)" })
        let ra = try embedded.rollouts(deployment: nil, fromNs: .min, toNs: .max)
        #expect(ra.contains { $0.deployment == "cart" && $0.version == "2.0.0" && $0.link == .line })
        #expect(ra == (try clickHouse.rollouts(deployment: nil, fromNs: .min, toNs: .max)))
        // Export: every event once, oldest first, the same as the embedded store's; check finds nothing wrong.
        var exported: [String] = [], exportedEmbedded: [String] = []
        try clickHouse.forEachMatch(SearchRequest(predicate: .all, limit: .max)) { exported.append(Self.key($0)) }
        _ = try embedded.forEachMatch(SearchRequest(predicate: .all, limit: .max)) { exportedEmbedded.append(Self.key($0)) }
        #expect(exported.count == exportedEmbedded.count)
        #expect(exported.sorted() == exportedEmbedded.sorted())
        let times = exported.map { Int64($0.prefix { $0 != " " })! }
        #expect(times == times.sorted())
        let checked = try clickHouse.check()
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        #expect(checked.events == Int64(exported.count))
        let sa = try embedded.stats(), sb = try clickHouse.stats()
        #expect(sa.counters == sb.counters)
        #expect(sa.streams == sb.streams)
        #expect(sa.oldestNs == sb.oldestNs && sa.newestNs == sb.newestNs)
        #expect(sa.noise.map { "\($0.rule) \($0.kind) \($0.events) \($0.bytes)" }.sorted() == sb.noise.map { "\($0.rule) \($0.kind) \($0.events) \($0.bytes)" }.sorted())
    }

    @Test func hostileQueryTextNeverReachesSQL() throws {
        guard let server = try ClickHouseServer.start("ClickHouse hostile queries") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let config = server.config(database: "hostile")
        let files = Self.input(dir)
        _ = try Ingestor(options: IngestOptions()) { try ClickHouseWriter(config) }.run(inputs: files)
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: files)
        let reader = try ClickHouseReader(config), embedded = try EmbeddedStoreReader(directory: dir.path + "/data")
        let before = try search(reader, "*", count: true).count
        let hostile = [
            "\"'); DROP TABLE events; --\"", "\"\\\\' OR 1=1 --\"", "deployment:\"x' OR '1'='1\"", "\"a\\\\\"", "\"\u{0}\"",
            "message:\"''''\"", "\"" + String(repeating: "'\\\\", count: 20_000) + "\"", "pod:\"*'*\"",
        ]
        // Each is a value to look for, answered as the embedded store answers it.
        for q in hostile {
            #expect(try search(reader, q).events.map(Self.key).sorted() == search(embedded, q).events.map(Self.key).sorted(), "\(q.prefix(40))")
        }
        // A query over the parser's 64 KiB limit is refused before any store sees it.
        #expect(throws: (any Error).self) { try search(reader, "\"" + String(repeating: "'\\\\", count: 200_000) + "\"") }
        // Invalid UTF-8 in a query value goes through as bytes.
        let bytes = String(decoding: [0x22, 0xFF, 0xFE, 0x22], as: UTF8.self)
        _ = try search(reader, bytes)
        #expect(try search(reader, "*", count: true).count == before)
        #expect(try search(reader, "\"'quoted'\"").count == 1)
    }

    @Test func aBatchIsStoredOnceAndOnlyWhenCommitted() throws {
        guard let server = try ClickHouseServer.start("ClickHouse batch idempotency") else { return }
        defer { server.stop() }
        let config = server.config(database: "batches")
        let writer = try ClickHouseWriter(config)
        var block = EventBlock(labels: StreamLabels(source: "test"), day: 20_411)
        for i in 0..<3 {
            let text = Array("event \(i)".utf8)
            block.timestamps.append(1_763_546_400_000_000_000 + Int64(i)); block.levels.append(LogLevel.info.rawValue); block.flags.append(0)
            block.formats.append(BodyFormat.plain.rawValue); block.templates.append(0); block.lengths.append(UInt32(text.count))
            block.bodies += text
        }
        var batch = EventBatch()
        batch.blocks = [block]
        batch.counters.events = 3
        try writer.append(batch, id: "b-1")
        try writer.append(batch, id: "b-1")
        let reader = try ClickHouseReader(config)
        #expect(try search(reader, "*", count: true).count == 3)
        #expect(try reader.stats().counters.events == 3)
        // Events that landed without their `batches` row (a crash between the two inserts) are not visible;
        // the retry of that batch commits it without storing its events again.
        let client = ClickHouseClient(config)
        try client.execute("INSERT INTO events (day, ns, batch, seq, source, text) VALUES (20411, 1763546400000000009, 'b-2', 0, 'test', 'half')")
        #expect(try search(reader, "half", count: true).count == 0)
        #expect(try reader.check().notes.first?.hasPrefix("1 events of 1 batches that never committed") == true)
        #expect(try reader.check().problems.isEmpty)
        var half = EventBatch()
        var b2 = EventBlock(labels: StreamLabels(source: "test"), day: 20_411)
        b2.timestamps = [1_763_546_400_000_000_009]; b2.levels = [0]; b2.flags = [0]; b2.formats = [0]; b2.templates = [0]
        b2.lengths = [4]; b2.bodies = Array("half".utf8)
        half.blocks = [b2]
        try writer.append(half, id: "b-2")
        #expect(try search(reader, "half", count: true).count == 1)
        // Retention drops whole days: these events are from 2025-11-19, so a 30-day limit drops that day.
        let dry = try writer.applyRetention(maxAgeNs: 30 * 86_400_000_000_000, maxBytes: nil, nowNs: 1_795_089_600_000_000_000, dryRun: true)
        #expect(dry.partitions == ["20251119"] && dry.events == 4)
        #expect(try search(reader, "*", count: true).count == 4)
        let done = try writer.applyRetention(maxAgeNs: 30 * 86_400_000_000_000, maxBytes: nil, nowNs: 1_795_089_600_000_000_000)
        #expect(done.partitions == ["20251119"])
        #expect(try search(reader, "*", count: true).count == 0)
        // Retention is not loss: check knows the dropped day.
        let afterRetention = try reader.check()
        #expect(afterRetention.problems.isEmpty, "\(afterRetention.problems)")
    }
}

extension ClickHouseStoreTests {
    @Test func followShowsBatchesCommittedAfterItStarted() throws {
        guard let server = try ClickHouseServer.start("ClickHouse follow") else { return }
        defer { server.stop() }
        let config = server.config(database: "follow")
        let writer = try ClickHouseWriter(config)
        func batch(_ words: [String], at ns: Int64) -> EventBatch {
            var block = EventBlock(labels: StreamLabels(source: "app"), day: Int32(ns / 86_400_000_000_000))
            for (i, w) in words.enumerated() {
                let text = Array(w.utf8)
                block.timestamps.append(ns + Int64(i)); block.levels.append(LogLevel.error.rawValue); block.flags.append(0)
                block.formats.append(BodyFormat.plain.rawValue); block.templates.append(0); block.lengths.append(UInt32(text.count))
                block.bodies += text
            }
            var b = EventBatch()
            b.blocks = [block]
            return b
        }
        try writer.append(batch(["old failure", "old noise"], at: 1_795_089_600_000_000_000))
        let reader = try ClickHouseReader(config)
        let request = SearchRequest(predicate: SearchPredicate(try KQL.parse("failure")))
        var cursor = try reader.followCursor()
        #expect(try reader.follow(request, after: cursor).0.isEmpty)
        try writer.append(batch(["new failure one", "new noise", "new failure two"], at: 1_795_089_700_000_000_000))
        let (events, next) = try reader.follow(request, after: cursor)
        #expect(events.map { String(decoding: $0.text, as: UTF8.self) } == ["new failure one", "new failure two"])
        cursor = next
        #expect(try reader.follow(request, after: cursor).0.isEmpty)
    }
}

@Suite struct ClickHouseConfigTests {
    @Test func storeURLs() throws {
        let c = try ClickHouseConfig.parse("clickhouse://logs@ch.internal:9123/prod_logs", environment: ["LOGSIFT_STORE_PASSWORD": "s3cret"])
        #expect(c == ClickHouseConfig(host: "ch.internal", port: 9123, user: "logs", password: "s3cret", database: "prod_logs"))
        #expect(c?.display == "clickhouse://logs@ch.internal:9123/prod_logs")
        #expect(try ClickHouseConfig.parse("clickhouse://localhost", environment: [:]) == ClickHouseConfig(host: "localhost", database: "logsift"))
        #expect(try ClickHouseConfig.parse("/var/lib/logsift", environment: [:]) == nil)
        #expect(throws: ClickHouseError.self) { try ClickHouseConfig.parse("clickhouse://u:pw@h:8123/db", environment: [:]) }
        #expect(throws: ClickHouseError.self) { try ClickHouseConfig.parse("clickhouse://h/db;DROP", environment: [:]) }
        #expect(throws: ClickHouseError.self) { try ClickHouseConfig.parse("clickhouse:///db", environment: [:]) }
    }

    @Test func queriesCompileToExactOrWiderConditions() throws {
        let q = ClickHouseQuery(dialect: .v18)
        func sql(_ text: String) throws -> (String?, Bool) { q.condition(SearchPredicate(try KQL.parse(text))) }
        #expect(try sql("level:error") == ("level = \(LogLevel.error.rawValue)", true))
        #expect(try sql("not kind:failure") == ("NOT bitAnd(flags, \(EventFlags.failure.rawValue)) != 0", true))
        // A word only narrows: it is never negated, and an or with it stays wide.
        #expect(try sql("not timeout").0 == nil)
        #expect(try sql("timeout or level:warn") == ("(positionCaseInsensitive(text, 'timeout') > 0 OR level = \(LogLevel.warn.rawValue))", false))
        #expect(try sql("timeout or not level:warn").1 == false)
        #expect(try sql("user_id:3").0 == nil)
        #expect(try sql("level >= warn").0 == "(level != \(LogLevel.unknown.rawValue) AND level >= \(LogLevel.warn.rawValue))")
    }

    @Test func literalsAreASCIIWithEveryOtherByteEscaped() {
        #expect(ClickHouseSQL.quote("it's a \\ test") == #"'it\'s a \\ test'"#)
        #expect(ClickHouseSQL.quote(bytes: [0x00, 0x0A, 0xFF, 0x41]) == #"'\x00\x0a\xffA'"#)
        #expect(ClickHouseSQL.quote("ü") == #"'\xc3\xbc'"#)
    }
}
