import LogCore

/// Histograms and context on a ClickHouse store.
extension ClickHouseReader: SearchReader {
    /// Matching events counted per bucket (the exact predicate decides each event, as in ``search(_:)``).
    public func histogram(_ request: SearchRequest, intervalNs: Int64) throws -> Histogram {
        precondition(intervalNs > 0)
        var r = request
        r.countOnly = true
        r.bucketNs = intervalNs
        let result = try search(r)
        guard let first = result.buckets.keys.min(), let last = result.buckets.keys.max() else {
            return Histogram(intervalNs: intervalNs, buckets: [], total: 0, method: "events")
        }
        var buckets: [Histogram.Bucket] = []
        var t = first
        while t <= last {
            buckets.append(Histogram.Bucket(startNs: t, count: result.buckets[t] ?? 0))
            t += intervalNs
        }
        return Histogram(intervalNs: intervalNs, buckets: buckets, total: result.count, method: "events")
    }

    /// The hit's container log: its labels but the stream, ordered by time, then batch and place.
    public func context(of event: StoredEvent, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent]) {
        guard let row = event.row else { return ([], []) }
        let l = event.labels
        let same = [("source", l.source), ("namespace", l.namespace), ("pod", l.pod), ("container", l.container),
                    ("deployment", l.deployment), ("version", l.version)].map { "\($0.0) = \(ClickHouseSQL.quote($0.1))" }.joined(separator: " AND ")
        let b = ClickHouseSQL.quote(row.batch)
        let older = "(ns < \(event.ns) OR ns = \(event.ns) AND (batch < \(b) OR batch = \(b) AND seq < \(row.seq)))"
        let newer = "(ns > \(event.ns) OR ns = \(event.ns) AND (batch > \(b) OR batch = \(b) AND seq > \(row.seq)))"
        var earlier: [StoredEvent] = [], later: [StoredEvent] = []
        if before > 0 {
            earlier = try rows("WHERE \(Self.visible) AND \(same) AND \(older) ORDER BY ns DESC, batch DESC, seq DESC LIMIT \(before)").reversed()
        }
        if after > 0 {
            later = try rows("WHERE \(Self.visible) AND \(same) AND \(newer) ORDER BY ns, batch, seq LIMIT \(after)")
        }
        return (earlier, later)
    }
}
