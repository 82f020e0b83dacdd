import LogCore

/// Histograms and context on a ClickHouse store.
extension ClickHouseReader: SearchReader {
    /// Matching events counted per bucket (the exact predicate decides each event, as in ``search(_:)``).
    public func histogram(_ request: SearchRequest, intervalNs: Int64) throws -> Histogram {
        precondition(intervalNs > 0)
        if decidedBySQL(request.predicate) {
            // The condition says exactly what the query does: the server counts per bucket.
            guard let base = base(request) else { return Self.histogram([:], intervalNs: intervalNs, method: "server") }
            var counts: [Int64: Int] = [:]
            for row in try client.rows("SELECT intDiv(ns, \(intervalNs)) * \(intervalNs) - if(ns < 0 AND ns % \(intervalNs) != 0, \(intervalNs), 0) AS b, count() "
                                       + "FROM \(table("events")) WHERE \(base) GROUP BY b") where row.count == 2 {
                if let b = Int64(row[0]), let n = Int(row[1]) { counts[b, default: 0] += n }
            }
            return Self.histogram(counts, intervalNs: intervalNs, method: "server")
        }
        var r = request
        r.countOnly = true
        r.bucketNs = intervalNs
        return Self.histogram(try search(r).buckets, intervalNs: intervalNs, method: "events")
    }

    /// Buckets oldest first, the empty ones between the first and the last included.
    static func histogram(_ counts: [Int64: Int], intervalNs: Int64, method: String) -> Histogram {
        guard let first = counts.keys.min(), let last = counts.keys.max() else {
            return Histogram(intervalNs: intervalNs, buckets: [], total: 0, method: method)
        }
        var buckets: [Histogram.Bucket] = []
        var t = first
        while t <= last {
            buckets.append(Histogram.Bucket(startNs: t, count: counts[t] ?? 0))
            t += intervalNs
        }
        return Histogram(intervalNs: intervalNs, buckets: buckets, total: counts.values.reduce(0, +), method: method)
    }

    /// The hit's container log: its labels but the stream, ordered by time, then batch and place.
    public func context(of event: StoredEvent, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent]) {
        guard event.row != nil else { return ([], []) }
        let l = event.labels
        let same = [("source", l.source), ("namespace", l.namespace), ("pod", l.pod), ("container", l.container),
                    ("deployment", l.deployment), ("version", l.version)].map { "\($0.0) = \(ClickHouseSQL.quote($0.1))" }.joined(separator: " AND ")
        let older = Self.beyond(event, newer: false), newer = Self.beyond(event, newer: true)
        var earlier: [StoredEvent] = [], later: [StoredEvent] = []
        if before > 0 {
            earlier = try rows("WHERE \(visible) AND \(same) AND \(older) ORDER BY ns DESC, batch DESC, seq DESC LIMIT \(before)").reversed()
        }
        if after > 0 {
            later = try rows("WHERE \(visible) AND \(same) AND \(newer) ORDER BY ns, batch, seq LIMIT \(after)")
        }
        return (earlier, later)
    }
}
