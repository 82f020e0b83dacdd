import Foundation
import LogCore

/// Reads a ClickHouse store: the server narrows events by time, labels and required words (a superset of the
/// matches), and the same exact predicate as the embedded store decides each event, so both backends answer a
/// query with the same events. Only committed batches are visible.
public final class ClickHouseReader: LogReader {
    /// The server queries go to (on a cluster, the first shard, reading the `Distributed` tables).
    let client: ClickHouseClient
    /// Every shard (one for a single server), for what only each server knows: its parts on disk.
    let clients: [ClickHouseClient]
    /// Rows fetched per round trip while looking for the newest matches.
    static let page = 5_000

    /// The SQL the server's version takes.
    let dialect: ClickHouseDialect

    /// `dialect` overrides what the server's version decides (tests run the current servers' SQL on 18.16).
    public init(_ config: ClickHouseConfig, dialect: ClickHouseDialect? = nil) throws {
        clients = config.shards.map { ClickHouseClient($0) }
        client = clients[0]
        let detected = try ClickHouseSchema.prepare(clients, config: config)
        self.dialect = dialect ?? detected
    }

    /// Whether the SQL condition of `p` is exact, so the server can count without the events being read.
    func decidedBySQL(_ p: SearchPredicate) -> Bool { ClickHouseQuery(dialect: dialect).condition(p).exact }

    /// The table queries read: the table itself, or on a cluster the `Distributed` table over every shard's.
    func table(_ name: String) -> String { ClickHouseSchema.read(name, client.config) }

    /// Rows of committed batches. On a cluster each shard checks its own `batches` (a batch commits on every shard
    /// that holds part of it), so the condition names the local table.
    var visible: String { "batch IN (SELECT batch FROM \(client.config.database).batches)" }

    public func search(_ request: SearchRequest) throws -> SearchResult {
        var result = SearchResult()
        guard let base = base(request) else { return result }
        if request.countOnly, request.bucketNs == nil, decidedBySQL(request.predicate) {
            // The condition says exactly what the query does (levels, flags, time...): the server counts.
            result.count = (try client.rows("SELECT count() FROM \(table("events")) WHERE \(base)").first?.first).flatMap { Int($0) } ?? 0
            return result
        }
        let limit = max(request.limit, 0)
        // Newest first: once `limit` events are found, older rows cannot displace them (counts read on).
        try scan(request, base: base, oldestFirst: false, more: { request.countOnly || request.bucketNs != nil || result.events.count < limit }) { e in
            result.count += 1
            if let w = request.bucketNs { result.buckets[Timestamp.floorDiv(e.ns, w) * w, default: 0] += 1 }
            if !request.countOnly, result.events.count < limit { result.events.append(e) }
        } pageRead: { result.blocksScanned += 1 }
        if !request.countOnly { result.count = max(result.count, result.events.count) }
        return result
    }

    /// What the server can check of `request` as a WHERE clause; nil when its time range is empty.
    func base(_ request: SearchRequest) -> String? {
        let bounds = IndexPlan.timeBounds(request.predicate)
        let fromNs = max(request.fromNs, bounds.from), toNs = min(request.toNs, bounds.to)
        guard fromNs <= toNs else { return nil }
        return conditions(request.predicate, fromNs: fromNs, toNs: toNs).joined(separator: " AND ")
    }

    /// Calls `matched` with each event of the rows `base` selects that the exact predicate keeps, page by page in
    /// time, batch and place order (newest first unless `oldestFirst`), while `more()` says so after each page.
    func scan(_ request: SearchRequest, base: String, oldestFirst: Bool, more: () -> Bool = { true },
              _ matched: (StoredEvent) throws -> Void, pageRead: () -> Void = {}) throws {
        let predicate = CompiledPredicate(request.predicate, templates: { _ in [] })
        let order = oldestFirst ? "ns, batch, seq" : "ns DESC, batch DESC, seq DESC"
        var last: StoredEvent?
        while true {
            let after = last.map { " AND " + Self.beyond($0, newer: oldestFirst) } ?? ""
            let page = try rows("WHERE \(base)\(after) ORDER BY \(order) LIMIT \(Self.page)")
            for e in page where predicate.matches(e) { try matched(e) }
            pageRead()
            last = page.last
            if page.count < Self.page || !more() { return }
        }
    }

    /// Rows after `e` (`newer`) or before it, in time, batch and place order.
    static func beyond(_ e: StoredEvent, newer: Bool) -> String {
        let op = newer ? ">" : "<", b = ClickHouseSQL.quote(e.row!.batch)
        return "(ns \(op) \(e.ns) OR ns = \(e.ns) AND (batch \(op) \(b) OR batch = \(b) AND seq \(op) \(e.row!.seq)))"
    }

    static let columns = "ns, batch, seq, source, namespace, pod, container, stream, deployment, version, level, flags, format, template, text"

    /// One event of a RowBinary answer selecting ``columns``.
    static func event(_ r: inout RowBinaryReader) throws -> StoredEvent {
        let ns: Int64 = try r.fixed(Int64.self)
        let batch = try r.text()
        let seq: UInt32 = try r.fixed(UInt32.self)
        let labels = StreamLabels(source: try r.text(), namespace: try r.text(), pod: try r.text(), container: try r.text(),
                                  stream: try r.text(), deployment: try r.text(), version: try r.text())
        let level: UInt8 = try r.fixed(UInt8.self)
        let flags: UInt16 = try r.fixed(UInt16.self)
        let format: UInt8 = try r.fixed(UInt8.self)
        let template: UInt64 = try r.fixed(UInt64.self)
        let text = Array(try r.string())
        var e = StoredEvent(labels: labels, ns: ns, level: LogLevel(rawValue: level) ?? .unknown, flags: EventFlags(rawValue: flags),
                            format: BodyFormat(rawValue: format) ?? .plain, text: text, template: template)
        e.row = StoredRow(batch: batch, seq: seq)
        return e
    }

    /// The events a `WHERE ... ORDER BY ... LIMIT` tail selects.
    func rows(_ tail: String) throws -> [StoredEvent] {
        var r = RowBinaryReader(Array(try client.execute("SELECT \(Self.columns) FROM \(table("events")) \(tail) FORMAT RowBinary")))
        var out: [StoredEvent] = []
        while !r.atEnd { out.append(try Self.event(&r)) }
        return out
    }

    /// What the server can check: committed batches, the time range, and the query as far as SQL can say it
    /// (``ClickHouseQuery``: exact for levels, flags, failures and time; words and label values as substrings).
    func conditions(_ p: SearchPredicate, fromNs: Int64, toNs: Int64) -> [String] {
        var out = [visible]
        if fromNs > Int64.min { out.append("ns >= \(fromNs)") }
        if toNs < Int64.max { out.append("ns <= \(toNs)") }
        if let sql = ClickHouseQuery(dialect: dialect).condition(p).sql { out.append(sql) }
        return out
    }

    public func stats() throws -> StoreStats {
        var counters = IngestCounters()
        for row in try client.rows("SELECT counters FROM \(table("batches"))") {
            guard let json = row.first.map({ Data(Self.unescape($0).utf8) }), let c = try? JSONDecoder().decode(IngestCounters.self, from: json) else { continue }
            counters.add(c)
        }
        let streams = try client.rows("SELECT count() FROM (SELECT DISTINCT source, namespace, pod, container, stream, deployment, version FROM \(table("events")) WHERE \(visible))")
        let days = try client.rows("SELECT DISTINCT toString(day) FROM \(table("events")) WHERE \(visible) ORDER BY 1").compactMap { $0.first.map(String.init) }
        let range = try client.rows("SELECT count(), min(ns), max(ns) FROM \(table("events")) WHERE \(visible)").first ?? []
        var parts: [Int64] = [0, 0, 0]
        for c in clients {
            let r = try c.rows("""
                SELECT sum(data_compressed_bytes), sum(bytes_on_disk), count() FROM system.parts
                WHERE database = \(ClickHouseSQL.quote(c.config.database)) AND active
                """).first ?? []
            for i in 0..<min(3, r.count) { parts[i] += Int64(r[i]) ?? 0 }
        }
        let hasEvents = (range.first.flatMap { Int64($0) } ?? 0) > 0
        var noise: [NoiseTotal] = []
        for n in try client.rows("""
            SELECT c.rule, c.kind, sum(c.events), sum(c.bytes) FROM \(table("noise_counts")) c WHERE \(visible)
            GROUP BY c.rule, c.kind ORDER BY sum(c.bytes) DESC
            """) where n.count == 4 {
            noise.append(NoiseTotal(rule: Self.unescape(n[0]), kind: String(n[1]), events: Int64(n[2]) ?? 0, bytes: Int64(n[3]) ?? 0))
        }
        return StoreStats(counters: counters, streams: streams.first?.first.flatMap { Int($0) } ?? 0, partitions: days,
                          blocks: parts[2], bytesStoredData: parts[0], bytesStoredIndex: parts[1] - parts[0], bytesOnDisk: parts[1],
                          oldestNs: hasEvents && range.count > 1 ? Int64(range[1]) : nil, newestNs: hasEvents && range.count > 2 ? Int64(range[2]) : nil,
                          noise: noise)
    }

    /// A TabSeparated value unescaped (`\t`, `\n`, `\\`, `\'`, `\0`).
    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\", let n = it.next() else { out.append(c); continue }
            switch n {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "b": out.append("\u{8}")
            case "f": out.append("\u{C}")
            default: out.append(n)
            }
        }
        return out
    }
}
