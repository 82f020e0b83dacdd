import Foundation
import LogCore

/// Where a follow on a ClickHouse store stands: the batches it has shown and the newest commit time among them.
public struct ClickHouseFollowCursor: Sendable {
    var seen: Set<String> = []
    var newestCommitNs: Int64 = .min
}

extension ClickHouseReader {
    /// Batches committed from here on are new (those committed so far are not).
    public func followCursor() throws -> ClickHouseFollowCursor {
        var c = ClickHouseFollowCursor()
        for r in try client.rows("SELECT batch, ns FROM \(table("batches"))") where r.count == 2 {
            c.seen.insert(Self.unescape(r[0]))
            c.newestCommitNs = max(c.newestCommitNs, Int64(r[1]) ?? .min)
        }
        return c
    }

    /// The matching events of batches committed since `cursor`, oldest first. Writers' clocks may differ, so
    /// batches committed up to a minute before the newest one seen are looked at again (and skipped when seen).
    public func follow(_ request: SearchRequest, after cursor: ClickHouseFollowCursor) throws -> ([StoredEvent], ClickHouseFollowCursor) {
        var next = cursor
        let since = cursor.newestCommitNs == .min ? Int64.min : cursor.newestCommitNs - 60_000_000_000
        var fresh: [String] = []
        for r in try client.rows("SELECT batch, ns FROM \(table("batches"))" + (since == .min ? "" : " WHERE ns >= \(since)")) where r.count == 2 {
            let b = Self.unescape(r[0])
            guard !next.seen.contains(b) else { continue }
            next.seen.insert(b)
            next.newestCommitNs = max(next.newestCommitNs, Int64(r[1]) ?? .min)
            fresh.append(b)
        }
        guard !fresh.isEmpty, let base = base(request) else { return ([], next) }
        var out: [StoredEvent] = []
        for chunk in stride(from: 0, to: fresh.count, by: 500).map({ Array(fresh[$0..<min($0 + 500, fresh.count)]) }) {
            let batches = chunk.map { ClickHouseSQL.quote($0) }.joined(separator: ",")
            try scan(request, base: base + " AND batch IN (\(batches))", oldestFirst: true) { out.append($0) }
        }
        out.sort { ($0.ns, $0.row!) < ($1.ns, $1.row!) }
        return (out, next)
    }
}
