import LogCore

/// Counts per time bucket (`search --histogram`).
extension EmbeddedStoreReader {
    /// Matches of `request` per bucket of `intervalNs`. Queries that labels and level decide are counted from
    /// the hourly counts (whole hours; the partial hours at the range's edges are read), others by reading events.
    public func histogram(_ request: SearchRequest, intervalNs: Int64) throws -> Histogram {
        precondition(intervalNs > 0)
        return try snapshot {
            let hourNs: Int64 = 3_600_000_000_000
            let predicate = CompiledPredicate(request.predicate, templates: templateIDs(matching:))
            let bounds = IndexPlan.timeBounds(request.predicate)
            var fromNs = max(request.fromNs, bounds.from), toNs = min(request.toNs, bounds.to)
            var counts: [Int64: Int] = [:]
            var method = "events"
            guard fromNs <= toNs else { return Histogram(intervalNs: intervalNs, buckets: [], total: 0, method: method) }
            let streams = try self.streams()
            if intervalNs % hourNs == 0, predicate.decidedByLabelsAndLevel(Array(streams.values)) {
                // Clamp open ends to the data so edge handling stays small.
                if fromNs == Int64.min || toNs == Int64.max {
                    let r = try db.prepare("SELECT min(min_ts), max(max_ts) FROM partitions")
                    defer { r.reset() }
                    guard try r.step(), !r.isNull(0) else { return Histogram(intervalNs: intervalNs, buckets: [], total: 0, method: "hourly") }
                    // Open ends go out to whole hours: there is no data beyond them.
                    if fromNs == Int64.min { fromNs = Timestamp.floorDiv(r.int(0), hourNs) * hourNs }
                    if toNs == Int64.max { toNs = (Timestamp.floorDiv(r.int(1), hourNs) + 1) * hourNs - 1 }
                }
                let firstWhole = ceilDiv(fromNs, hourNs) * hourNs
                let endWhole = Timestamp.floorDiv(toNs + 1, hourNs) * hourNs  // exclusive
                method = "hourly"
                if firstWhole < endWhole {
                    var accepted: [Int64: [Bool]] = [:]
                    for (id, l) in streams { accepted[id] = LogLevel.allCases.map { predicate.onLabelsAndLevel(l, $0) == true } }
                    let s = try db.prepare("SELECT hour, stream_id, level, events FROM hour_counts WHERE hour >= ? AND hour < ?")
                    s.bind(1, firstWhole); s.bind(2, endWhole)
                    while try s.step() {
                        let level = Int(s.int(2))
                        guard let ok = accepted[s.int(1)], level < ok.count, ok[level] else { continue }
                        let h = s.int(0)
                        counts[Timestamp.floorDiv(h, intervalNs) * intervalNs, default: 0] += Int(s.int(3))
                    }
                    // The partial hours at the edges, read event by event.
                    var edges: [(Int64, Int64)] = []
                    if fromNs < firstWhole { edges.append((fromNs, firstWhole - 1)) }
                    if endWhole <= toNs { edges.append((endWhole, toNs)) }
                    for (a, b) in edges {
                        method = "hourly+events"
                        for (k, v) in try eventBuckets(request, fromNs: a, toNs: b, intervalNs: intervalNs) { counts[k, default: 0] += v }
                    }
                } else {
                    method = "events"
                    counts = try eventBuckets(request, fromNs: fromNs, toNs: toNs, intervalNs: intervalNs)
                }
            } else {
                counts = try eventBuckets(request, fromNs: fromNs, toNs: toNs, intervalNs: intervalNs)
            }
            var buckets: [Histogram.Bucket] = []
            if let lo = counts.keys.min(), let hi = counts.keys.max() {
                let n = (hi - lo) / intervalNs
                if n <= 100_000 {
                    var t = lo
                    while t <= hi { buckets.append(.init(startNs: t, count: counts[t] ?? 0)); t += intervalNs }
                } else {
                    buckets = counts.sorted { $0.key < $1.key }.map { .init(startNs: $0.key, count: $0.value) }
                }
            }
            return Histogram(intervalNs: intervalNs, buckets: buckets, total: counts.values.reduce(0, +), method: method)
        }
    }

    private func eventBuckets(_ request: SearchRequest, fromNs: Int64, toNs: Int64, intervalNs: Int64) throws -> [Int64: Int] {
        var r = request
        r.fromNs = fromNs
        r.toNs = toNs
        r.countOnly = true
        r.bucketNs = intervalNs
        return try EmbeddedSearch(reader: self, request: r).run().buckets
    }

    private func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -Timestamp.floorDiv(-a, b) }
}
