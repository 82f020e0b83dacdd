import Foundation
import LogCore
import LogIndexer
import Query

/// The same workload in the embedded store and in a ClickHouse store (`--clickhouse URL`), side by side: ingest
/// through `logsift ingest`, bytes stored per raw byte, and in-process query medians on both.
struct StoreComparison: Codable {
    struct Side: Codable {
        var store: String
        var ingestSeconds: Double
        var peakRSSKiB: Int
        var events: Int
        var storedBytes: Int
        /// Median milliseconds per query name.
        var queryMs: [String: Double]
    }

    var rawBytes: Int
    var sides: [Side]

    static let runs = 5

    static func run(logsift: String, embeddedStore: String, clickHouse urls: [String], input: RawInput) throws -> StoreComparison {
        var stores: [(name: String, args: [String], config: ClickHouseConfig?)] = [("embedded", ["--data", embeddedStore], nil)]
        for url in urls {
            guard let config = try ClickHouseConfig.parse(url) else { throw BenchError("--clickhouse needs a clickhouse:// URL, got \(url)") }
            // A fresh database on every shard: drop what an earlier run left.
            for shard in config.shards { try ClickHouseClient(shard).execute("DROP DATABASE IF EXISTS \(config.database)", database: false) }
            stores.append((config.shards.count == 1 ? "clickhouse" : "ch \(config.shards.count) shards", ["--store", url], config))
        }
        var sides: [Side] = []
        var term: String?
        for (name, args, config) in stores {
            if name == "embedded" { try? FileManager.default.removeItem(atPath: embeddedStore) }
            printProgress("compare: logsift ingest into the \(name) store")
            let r = try ChildProcess.run(logsift, ["ingest", "-q"] + args + input.files, stdout: .toStderr)
            guard r.succeeded else { throw BenchError("`logsift ingest \(args.joined(separator: " "))` \(r.failureDescription)") }
            let statsPath = NSTemporaryDirectory() + "logsift-bench-stats-\(name).json"
            let s = try ChildProcess.run(logsift, ["stats", "--json"] + args, stdout: .file(statsPath))
            guard s.succeeded, let data = FileManager.default.contents(atPath: statsPath) else { throw BenchError("`logsift stats` \(s.failureDescription)") }
            let stats = try LogsiftStats(json: data)
            let reader: any SearchReader & DeploymentReader = try config.map { try ClickHouseReader($0) } ?? EmbeddedStoreReader(directory: embeddedStore)
            // The embedded store comes first: the id it holds is looked up in every store.
            if term == nil { term = try QueryBench.pickIdentifier(files: input.files, sizes: input.sizes, store: embeddedStore) }
            sides.append(Side(store: name, ingestSeconds: r.wallSeconds, peakRSSKiB: r.maxRSSKiB, events: stats.events,
                              storedBytes: stats.bytesStoredData + stats.bytesStoredIndex, queryMs: try queries(reader, term: term!)))
        }
        return StoreComparison(rawBytes: input.totalBytes, sides: sides)
    }

    /// An identifier lookup, a phrase, failures of the deployment with the most, and a histogram of the week by hour.
    static func queries(_ reader: any SearchReader & DeploymentReader, term: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        func p50(_ body: () throws -> Void) throws -> Double { median(try QueryBench.time(runs, body)) }
        let id = SearchRequest(predicate: SearchPredicate(try KQL.parse(term)), limit: 100)
        out["id lookup"] = try p50 { _ = try reader.search(id) }
        let phrase = SearchRequest(predicate: SearchPredicate(try KQL.parse("\"connection refused\"")), limit: 100)
        out["phrase, top 100"] = try p50 { _ = try reader.search(phrase) }
        let groups = try reader.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil)
        var per: [String: Int64] = [:]
        for g in groups where !g.deployment.isEmpty { per[g.deployment, default: 0] += g.events }
        if let d = per.max(by: { $0.value < $1.value })?.key {
            out["failures of one deployment"] = try p50 { _ = try reader.failureGroups(deployment: d, fromNs: .min, toNs: .max, limit: nil) }
        }
        for (name, q) in [("level:error, count", "level:error"), ("kind:failure, count", "kind:failure")] {
            let r = SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), countOnly: true)
            out[name] = try p50 { _ = try reader.search(r) }
        }
        let week = SearchRequest(predicate: .all, fromNs: WorkloadPlan.start, toNs: WorkloadPlan.end - 1)
        out["histogram, week by hour"] = try p50 { _ = try reader.histogram(week, intervalNs: 3_600_000_000_000) }
        return out
    }

    func table() -> String {
        var out = "store comparison (same workload, same run; in-process query medians of \(Self.runs))\n"
        let names = Array(Set(sides.flatMap { $0.queryMs.keys })).sorted()
        out += "  " + "".padding(toLength: 32, withPad: " ", startingAt: 0) + sides.map { $0.store.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined() + "\n"
        func row(_ label: String, _ value: (Side) -> String) {
            out += "  " + label.padding(toLength: 32, withPad: " ", startingAt: 0) + sides.map { value($0).padding(toLength: 14, withPad: " ", startingAt: 0) }.joined() + "\n"
        }
        row("ingest MiB/s") { String(format: "%.1f", Double(rawBytes) / 1_048_576 / max($0.ingestSeconds, 1e-9)) }
        row("events/s") { String(format: "%.0f", Double($0.events) / max($0.ingestSeconds, 1e-9)) }
        row("stored / raw") { String(format: "%.2f%%", 100 * Double($0.storedBytes) / Double(max(rawBytes, 1))) }
        row("logsift peak RSS MiB") { String(format: "%.0f", Double($0.peakRSSKiB) / 1024) }
        for n in names { row(n + " ms") { $0.queryMs[n].map { String(format: "%.1f", $0) } ?? "-" } }
        return out
    }
}
