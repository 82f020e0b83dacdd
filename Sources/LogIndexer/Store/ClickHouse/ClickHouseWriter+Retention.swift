import Foundation
import LogCore

extension ClickHouseWriter: RetainingWriter {
    /// Drops whole days of `events` (`ALTER TABLE ... DROP PARTITION`): those whose newest event is older than
    /// `maxAgeNs` before `nowNs`, then the oldest while the events' parts take more than `maxBytes` on disk (the
    /// newest day always stays). Volumes, noise accounting, failure groups and rollouts stay for reports.
    public func applyRetention(maxAgeNs: Int64?, maxBytes: Int64?, nowNs: Int64, dryRun: Bool = false) throws -> RetentionResult {
        var result = RetentionResult()
        let db = ClickHouseSQL.quote(client.config.database)
        // A day's size is its partitions on every shard.
        var bytes: [String: Int64] = [:]
        for c in shards {
            for r in try c.rows("SELECT partition, sum(bytes_on_disk) FROM system.parts WHERE database = \(db) AND table = 'events' AND active GROUP BY partition")
                where r.count == 2 {
                bytes[String(r[0]).trimmingCharacters(in: CharacterSet(charactersIn: "'")), default: 0] += Int64(r[1]) ?? 0
            }
        }
        result.bytesBefore = bytes.values.reduce(0, +)
        var days: [(day: String, maxNs: Int64, events: Int64, text: Int64, bytes: Int64)] = []
        let events = ClickHouseSchema.read("events", client.config)
        for r in try client.rows("SELECT toString(day), max(ns), count(), sum(length(text)) FROM \(events) GROUP BY day ORDER BY day") where r.count == 4 {
            let d = String(r[0])
            days.append((d, Int64(r[1]) ?? 0, Int64(r[2]) ?? 0, Int64(r[3]) ?? 0, bytes[d] ?? 0))
        }
        let drop = RetentionResult.daysToDrop(days.map { ($0.maxNs, $0.bytes) }, maxAgeNs: maxAgeNs, maxBytes: maxBytes, nowNs: nowNs)
        for i in drop {
            result.partitions.append(days[i].day.replacingOccurrences(of: "-", with: ""))
            result.events += days[i].events
            result.textBytes += days[i].text
        }
        guard !dryRun, !drop.isEmpty else {
            result.bytesAfter = result.bytesBefore
            return result
        }
        for i in drop {
            // The day comes from the server as YYYY-MM-DD; it is checked before it is put in the statement.
            let d = days[i].day
            guard d.count == 10, d.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { continue }
            try client.execute("INSERT INTO retention_days VALUES ('\(d)', \(nowNs))")
            for c in shards { try c.execute("ALTER TABLE events DROP PARTITION '\(d)'") }
        }
        result.bytesAfter = 0
        for c in shards {
            result.bytesAfter += (try c.rows("SELECT sum(bytes_on_disk) FROM system.parts WHERE database = \(db) AND table = 'events' AND active")
                .first?.first).flatMap { Int64($0) } ?? 0
        }
        return result
    }
}
