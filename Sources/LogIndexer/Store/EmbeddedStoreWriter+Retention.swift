import CSQLite
import LogCore
import Foundation

/// What retention removed.
public struct RetentionResult: Sendable {
    /// The day partitions dropped (YYYYMMDD), oldest first.
    public var partitions: [String] = []
    public var events: Int64 = 0
    public var textBytes: Int64 = 0
    /// The store's size on disk before and after (database + WAL).
    public var bytesBefore: Int64 = 0
    public var bytesAfter: Int64 = 0
}

extension RetentionResult {
    /// Which of the days (oldest first, each with its newest event and its bytes) retention drops: those whose
    /// newest event is older than `maxAgeNs` before `nowNs`, then the oldest while the rest take more than
    /// `maxBytes`; the newest day is always kept. Indices, ascending.
    static func daysToDrop(_ days: [(newestNs: Int64, bytes: Int64)], maxAgeNs: Int64?, maxBytes: Int64?, nowNs: Int64) -> [Int] {
        var drop = Set<Int>()
        if let maxAgeNs { drop = Set(days.indices.filter { days[$0].newestNs < nowNs - maxAgeNs }) }
        if let maxBytes {
            var total = days.indices.filter { !drop.contains($0) }.reduce(Int64(0)) { $0 + days[$1].bytes }
            for i in days.indices.dropLast() where total > maxBytes && !drop.contains(i) {
                drop.insert(i)
                total -= days[i].bytes
            }
        }
        return drop.sorted()
    }
}

extension EmbeddedStoreWriter: RetainingWriter {
    /// Drops whole day partitions: those whose newest event is older than `maxAgeNs` before `nowNs`, then the
    /// oldest ones while the stored events (data + index) take more than `maxBytes` (the newest day is always
    /// kept). Their events, full-text index and hourly counts go; the aggregates that reports read (volumes,
    /// noise accounting, failure groups, rollouts) stay. Then the WAL is checkpointed and truncated and free
    /// pages are returned to the file system. With `dryRun`, only reports what it would drop.
    public func applyRetention(maxAgeNs: Int64?, maxBytes: Int64?, nowNs: Int64, dryRun: Bool = false) throws -> RetentionResult {
        var result = RetentionResult()
        result.bytesBefore = diskBytes()
        var parts: [(day: Int32, name: String, maxTs: Int64, events: Int64, text: Int64, bytes: Int64)] = []
        let s = try db.prepare("SELECT day, name, coalesce(max_ts, 0), events, text_bytes, data_bytes + bloom_bytes FROM partitions ORDER BY day")
        while try s.step() { parts.append((Int32(s.int(0)), s.text(1), s.int(2), s.int(3), s.int(4), s.int(5))) }
        s.reset()
        for i in parts.indices {
            let fts = try db.scalarInt("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'terms\\_\(parts[i].name)%' ESCAPE '\\'") ?? 0
            parts[i].bytes += fts
        }
        let drop = RetentionResult.daysToDrop(parts.map { ($0.maxTs, $0.bytes) }, maxAgeNs: maxAgeNs, maxBytes: maxBytes, nowNs: nowNs)
        for i in drop {
            let p = parts[i]
            result.partitions.append(p.name)
            result.events += p.events
            result.textBytes += p.text
        }
        guard !dryRun, !drop.isEmpty else {
            result.bytesAfter = result.bytesBefore
            return result
        }
        try db.transaction {
            for i in drop {
                let p = parts[i]
                let dayNs = Int64(p.day) * 86_400_000_000_000
                try db.execute("""
                DROP TABLE IF EXISTS blocks_\(p.name); DROP TABLE IF EXISTS terms_\(p.name); DROP TABLE IF EXISTS ids_\(p.name);
                DELETE FROM partitions WHERE day = \(p.day);
                DELETE FROM hour_counts WHERE hour >= \(dayNs) AND hour < \(dayNs + 86_400_000_000_000);
                """)
            }
            var c = IngestCounters()
            c.retentionEvents = result.events
            c.retentionBytes = result.textBytes
            c.retentionPartitions = Int64(drop.count)
            let up = try db.prepare("INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value")
            for (name, v) in c.named where v != 0 {
                up.reset()
                up.bind(1, name); up.bind(2, v)
                try up.step()
            }
        }
        db.clearCache()
        forgetPartitions(drop.map { parts[$0].day })
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try db.execute("PRAGMA incremental_vacuum")
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        result.bytesAfter = diskBytes()
        return result
    }

    private func diskBytes() -> Int64 {
        var total: Int64 = 0
        for suffix in ["", "-wal"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/" + EmbeddedStore.fileName + suffix))?[.size] as? NSNumber {
                total += size.int64Value
            }
        }
        return total
    }
}
