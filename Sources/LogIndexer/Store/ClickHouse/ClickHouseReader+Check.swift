import Foundation
import LogCore

/// `check` and `export` on a ClickHouse store.
extension ClickHouseReader {
    /// Every committed batch's events are there (its `batches` row counts them) and committed once; rows of
    /// batches that never committed (a writer stopped between two inserts) are counted as invisible leftovers,
    /// not loss; tail checkpoints read back.
    public func check() throws -> StoreCheck {
        var result = StoreCheck()
        // Days that retention dropped: their events are gone on purpose.
        let dropped = Set(try client.rows("SELECT DISTINCT toString(day) FROM \(table("retention_days"))").compactMap { $0.first.map(String.init) })
        // A batch has one `batches` row, or on a cluster one per shard that holds part of it (the coordinator's
        // row lists the others).
        var committed: [String: Int64] = [:], rowsOf: [String: Int] = [:], expected: [String: Int] = [:]
        for r in try client.rows("SELECT batch, events, days, shards FROM \(table("batches"))") where r.count == 4 {
            let b = ClickHouseReader.unescape(r[0])
            rowsOf[b, default: 0] += 1
            if !r[3].isEmpty { expected[b] = 1 + r[3].split(separator: ",").count }
            var want = Int64(r[1]) ?? 0
            for part in r[2].split(separator: ",") {
                let kv = part.split(separator: ":")
                if kv.count == 2, dropped.contains(String(kv[0])) { want -= Int64(kv[1]) ?? 0 }
            }
            committed[b, default: 0] += want
        }
        for (b, n) in rowsOf.sorted(by: { $0.key < $1.key }) where n > (expected[b] ?? 1) {
            result.problems.append("batch \(b) is committed twice")
        }
        var pending = Set<String>()
        for (b, n) in expected.sorted(by: { $0.key < $1.key }) where rowsOf[b, default: 0] < n {
            pending.insert(b)
            result.notes.append("batch \(b) is committed but not yet visible on \(n - rowsOf[b, default: 0]) shard(s) (the next writer publishes it)")
        }
        var stored: [String: Int64] = [:]
        for r in try client.rows("SELECT batch, count() FROM \(table("events")) GROUP BY batch") where r.count == 2 {
            stored[ClickHouseReader.unescape(r[0])] = Int64(r[1]) ?? 0
        }
        var leftovers: Int64 = 0, leftoverBatches = 0
        for (b, n) in stored.sorted(by: { $0.key < $1.key }) {
            guard let want = committed[b] else { leftovers += n; leftoverBatches += 1; continue }
            if n != want, !pending.contains(b) { result.problems.append("batch \(b): \(n) events stored, \(want) committed") }
        }
        for (b, want) in committed where want > 0 && stored[b] == nil {
            result.problems.append("batch \(b): \(want) events committed, none stored")
        }
        if leftovers > 0 {
            result.notes.append("\(leftovers) events of \(leftoverBatches) batches that never committed are invisible to readers (a writer stopped mid-batch)")
        }
        result.events = stored.filter { committed[$0.key] != nil }.values.reduce(0, +)
        result.blocks = committed.count
        result.partitions = try client.rows("SELECT uniqExact(day) FROM \(table("events")) WHERE \(visible)").first?.first.flatMap { Int($0) } ?? 0
        let cps = try ClickHouseWriter.checkpoints(client)
        result.checkpoints = cps.checkpoints.count
        result.problems += cps.problems
        return result
    }

    /// Calls `body` with every matching event, oldest first (time, then batch and place).
    public func forEachMatch(_ request: SearchRequest, _ body: (StoredEvent) throws -> Void) throws {
        guard let base = base(request) else { return }
        try scan(request, base: base, oldestFirst: true, body)
    }
}
