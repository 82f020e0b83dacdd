import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import LogCore
import Query
@testable import LogIndexer
import TestSupport

/// Two clickhouse-server processes as the two shards of cluster `logsift`: the store answers as the embedded store
/// does, each container log lives on one shard, and with two `logsift serve` in front, shards and servers killed
/// with -9 mid-ingest, every acknowledged line is stored once.
@Suite(.serialized) struct ClickHouseClusterTests {
    /// A shard's own committed events per source and pod (rows of batches that never committed left out).
    static func localEvents(_ server: ClickHouseServer, _ database: String) throws -> [(source: String, pod: String, count: Int)] {
        try ClickHouseClient(server.config(database: database)).rows("""
            SELECT source, pod, count() FROM events WHERE batch IN (SELECT batch FROM batches) GROUP BY source, pod
            """).map {
            (String($0[0]), String($0[1]), Int($0[2]) ?? 0)
        }
    }

    @Test func aClusterAnswersAsTheEmbeddedStore() throws {
        guard let shards = try ClickHouseServer.cluster("ClickHouse cluster conformance", shards: 2) else { return }
        defer { shards.forEach { $0.stop() } }
        let dir = TempDir()
        defer { dir.cleanup() }
        let files = ClickHouseStoreTests.input(dir)
        _ = try Ingestor(options: IngestOptions()) { try EmbeddedStoreWriter(directory: dir.path + "/data") }.run(inputs: files)
        let config = try #require(try ClickHouseConfig.parse(ClickHouseServer.clusterURL(shards, database: "sharded")))
        #expect(config.shards.count == 2 && config.cluster == "logsift")
        _ = try Ingestor(options: IngestOptions()) { try ClickHouseWriter(config) }.run(inputs: files)
        let embedded = try EmbeddedStoreReader(directory: dir.path + "/data"), cluster = try ClickHouseReader(config)
        for q in ClickHouseStoreTests.queries {
            let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), limit: 10_000)
            let a = try embedded.search(request), b = try cluster.search(request)
            #expect(a.events.map(ClickHouseStoreTests.key).sorted() == b.events.map(ClickHouseStoreTests.key).sorted(), "\(q)")
        }
        #expect(try embedded.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil).map { "\($0.deployment) \($0.template) \($0.events) \($0.example)" }.sorted()
                == cluster.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil).map { "\($0.deployment) \($0.template) \($0.events) \($0.example)" }.sorted())
        #expect(try embedded.rollouts(deployment: nil, fromNs: .min, toNs: .max) == cluster.rollouts(deployment: nil, fromNs: .min, toNs: .max))
        let start = try #require(Timestamp.parse("2026-11-16T00:00:00Z")), week = 7 * 86_400_000_000_000 as Int64
        #expect(ClickHouseScoreTests.comparable(try embedded.scoreFigures(fromNs: start, toNs: start + week, nowNs: start + week, parallelismWindowNs: 1_800_000_000_000))
                == ClickHouseScoreTests.comparable(try cluster.scoreFigures(fromNs: start, toNs: start + week, nowNs: start + week, parallelismWindowNs: 1_800_000_000_000)))
        let checked = try cluster.check()
        #expect(checked.problems.isEmpty, "\(checked.problems)")
        #expect(try embedded.stats().counters == cluster.stats().counters)
        // Both shards hold events, and each container log (each source outside Kubernetes) lives on one of them.
        let local = try shards.map { try Self.localEvents($0, "sharded") }
        #expect(local.allSatisfy { !$0.isEmpty }, "\(local)")
        let keys = local.map { Set($0.map { $0.source + "|" + $0.pod }) }
        #expect(keys[0].isDisjoint(with: keys[1]))
        #expect(local.flatMap { $0 }.reduce(0) { $0 + $1.count } == checked.events)
    }

    @Test func aShardThatMissedItsRowIsPublishedByTheNextWriter() throws {
        guard let shards = try ClickHouseServer.cluster("ClickHouse cluster publish", shards: 2) else { return }
        defer { shards.forEach { $0.stop() } }
        let config = try #require(try ClickHouseConfig.parse(ClickHouseServer.clusterURL(shards, database: "published")))
        _ = try ClickHouseWriter(config)
        // As a writer killed between the commit and the other shard's row leaves it: the coordinator's row (on
        // shard 0) names shard 1, which holds the batch's events but no row of its own.
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let a = ClickHouseClient(shards[0].config(database: "published")), b = ClickHouseClient(shards[1].config(database: "published"))
        try a.execute("INSERT INTO batches VALUES ('cut-short', \(now), 0, '{}', '', '1')")
        try b.execute("INSERT INTO events VALUES ('2026-11-19', 1795082400000000000, 'cut-short', 0, 'app', '', '', '', 'stdout', '', '', 3, 0, 0, 0, 'hello from shard 1')")
        let reader = try ClickHouseReader(config)
        #expect(try reader.search(SearchRequest(predicate: .all, countOnly: true)).count == 0)
        let before = try reader.check()
        #expect(before.notes.contains { $0.contains("not yet visible on 1 shard") })
        #expect(before.problems.isEmpty, "\(before.problems)")
        _ = try ClickHouseWriter(config)
        #expect(try reader.search(SearchRequest(predicate: .all, countOnly: true)).count == 1)
        #expect(try reader.check().problems.isEmpty)
    }

    /// An HTTP POST with a timeout; status 0 when the connection failed or timed out (the outcome is unknown).
    static func post(_ url: String, _ body: String) -> Int {
        var req = URLRequest(url: URL(string: url)!, timeoutInterval: 40)
        req.httpMethod = "POST"
        req.httpBody = Data(body.utf8)
        req.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        URLSession.shared.dataTask(with: req) { _, r, _ in
            status = (r as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        return status
    }

    @Test func twoServersInFrontOfTwoShardsStoreEveryAcknowledgedLineOnce() throws {
        guard let shards = try ClickHouseServer.cluster("ClickHouse cluster kill -9", shards: 2) else { return }
        defer { shards.forEach { $0.stop() } }
        let dir = TempDir()
        defer { dir.cleanup() }
        let url = ClickHouseServer.clusterURL(shards, database: "fronted")
        let ports = [Int.random(in: 40_000..<50_000), Int.random(in: 50_000..<60_000)]
        func serve(_ i: Int) throws -> Process {
            let p = try ClickHouseTailTests.logsift(["serve", "--listen", "127.0.0.1:\(ports[i])", "--data", dir.path + "/data\(i)", "--store", url])
            for _ in 0..<100 {
                if Self.post("http://127.0.0.1:\(ports[i])/api/v1/logs?source=warmup", "") != 0 { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return p
        }
        nonisolated(unsafe) var servers = [try serve(0), try serve(1)]
        defer { servers.forEach { kill($0.processIdentifier, SIGKILL); $0.waitUntilExit() } }

        // Four senders, 30 requests of 20 unique lines each, alternating servers; a refused or failed request is
        // sent again to the other server until one acknowledges it.
        let senders = 4, requests = 30, perRequest = 20
        let lock = NSLock()
        nonisolated(unsafe) var acknowledged: [String: Bool] = [:]  // line -> its request was once in an unknown state
        nonisolated(unsafe) var unknownOutcomes = 0
        let group = DispatchGroup()
        for s in 0..<senders {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for r in 0..<requests {
                    let lines = (0..<perRequest).map { l in
                        String(format: "2026-11-19T10:%02d:%02d.%03dZ INFO sender %d request %d line %d", r % 60, l, s, s, r, l)
                    }
                    var target = (s + r) % 2, unknown = false
                    for _ in 0..<200 {
                        let status = Self.post("http://127.0.0.1:\(ports[target])/api/v1/logs?source=sender-\(s)&deployment=shop-\(s % 2)",
                                               lines.joined(separator: "\n") + "\n")
                        if status == 200 { break }
                        if status == 0 { unknown = true }
                        target = 1 - target
                        Thread.sleep(forTimeInterval: 0.2)
                    }
                    lock.lock()
                    if unknown { unknownOutcomes += 1 }
                    for line in lines { acknowledged[String(line[line.range(of: "sender")!.lowerBound...])] = unknown }
                    lock.unlock()
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
        }
        // Mid-ingest: the second shard killed and restarted, then the first server.
        Thread.sleep(forTimeInterval: 1.0)
        shards[1].kill()
        Thread.sleep(forTimeInterval: 2.0)
        #expect(try shards[1].launch())
        Thread.sleep(forTimeInterval: 1.0)
        kill(servers[0].processIdentifier, SIGKILL)
        servers[0].waitUntilExit()
        Thread.sleep(forTimeInterval: 0.5)
        servers[0] = try serve(0)
        group.wait()

        #expect(acknowledged.count == senders * requests * perRequest)
        // A new writer publishes what a killed one left committed but not yet visible; then every query reads both shards.
        let config = try #require(try ClickHouseConfig.parse(url))
        _ = try ClickHouseWriter(config)
        let reader = try ClickHouseReader(config)
        var stored: [String: Int] = [:]
        try reader.forEachMatch(SearchRequest(predicate: .all, limit: .max)) { e in
            let text = String(decoding: e.text, as: UTF8.self)
            if let r = text.range(of: "sender ") { stored[String(text[r.lowerBound...]), default: 0] += 1 }
        }
        var missing = 0, twice = 0, twiceUnknown = 0
        for (line, unknown) in acknowledged {
            let n = stored[line] ?? 0
            if n == 0 { missing += 1 }
            if n > 1 { if unknown { twiceUnknown += 1 } else { twice += 1 } }
        }
        #expect(missing == 0, "\(missing) acknowledged lines are not stored")
        #expect(twice == 0, "\(twice) lines stored twice")
        print("cluster kill -9: \(acknowledged.count) lines acknowledged, \(unknownOutcomes) requests had an unknown outcome once "
              + "(their lines stored twice: \(twiceUnknown))")
        #expect(try reader.check().problems.isEmpty)
        let perShard = try shards.map { try Self.localEvents($0, "fronted").filter { $0.source.hasPrefix("sender") }.reduce(0) { $0 + $1.count } }
        #expect(perShard.allSatisfy { $0 > 0 }, "\(perShard)")
        #expect(perShard.reduce(0, +) == stored.values.reduce(0, +))
        let count = try reader.search(SearchRequest(predicate: SearchPredicate(try KQL.parse("sender and deployment:shop-1")), countOnly: true)).count
        #expect(count == stored.filter { $0.key.hasPrefix("sender 1 ") || $0.key.hasPrefix("sender 3 ") }.values.reduce(0, +))
    }
}
