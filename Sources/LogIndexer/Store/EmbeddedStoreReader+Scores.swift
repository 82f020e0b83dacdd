import Filters
import LogCore
import Foundation

/// The figures of scoring.md per deployment and for the whole store, read from the tables ingest fills.
extension EmbeddedStoreReader: ScoreReader {
    public func scoreFigures(fromNs: Int64, toNs: Int64, nowNs: Int64, parallelismWindowNs: Int64) throws -> ScoreFigures {
        precondition(fromNs < toNs, "BUG: empty score range")
        let rows = try snapshot { try scoreRows(fromNs: fromNs, toNs: toNs, parallelismWindowNs: parallelismWindowNs) }
        return ScoreFigures.assemble(rows, fromNs: fromNs, toNs: toNs, nowNs: nowNs)
    }

    /// The rows of [fromNs, toNs) in one snapshot.
    func scoreRows(fromNs: Int64, toNs: Int64, parallelismWindowNs: Int64) throws -> ScoreRows {
        let days = ScoreRows.days(fromNs, toNs), hours = ScoreRows.hours(fromNs, toNs)
        var rows = ScoreRows()
        let sd = try db.prepare("""
        SELECT d.day, s.deployment, sum(d.events), sum(d.bytes), sum(d.incomplete), sum(d.structured)
        FROM stream_days d JOIN streams s ON s.id = d.stream_id WHERE d.day >= ? AND d.day <= ? GROUP BY d.day, s.deployment
        """)
        sd.bind(1, days.lowerBound); sd.bind(2, days.upperBound)
        while try sd.step() {
            rows.streamDays.append(.init(day: sd.int(0), deployment: sd.text(1), stored: VolumeCount(events: sd.int(2), bytes: sd.int(3)),
                                         incomplete: sd.int(4), structured: sd.int(5)))
        }
        let p = try db.prepare("SELECT day, name, data_bytes, bloom_bytes FROM partitions WHERE day >= ? AND day <= ?")
        p.bind(1, days.lowerBound); p.bind(2, days.upperBound)
        var parts: [(day: Int64, name: String, data: Int64, bloom: Int64)] = []
        while try p.step() { parts.append((p.int(0), p.text(1), p.int(2), p.int(3))) }
        for part in parts {
            rows.partitions.append(.init(day: part.day, data: part.data, index: try ftsBytes(partition: part.name) + part.bloom))
        }
        let n = try db.prepare("""
        SELECT rule, deployment, kind, hour / \(ScoreRows.dayNs), sum(events), sum(bytes) FROM noise_counts
        WHERE hour >= ? AND hour <= ? GROUP BY rule, deployment, kind, hour / \(ScoreRows.dayNs)
        """)
        n.bind(1, hours.lowerBound); n.bind(2, hours.upperBound)
        while try n.step() {
            rows.noise.append(.init(rule: n.text(0), deployment: n.text(1), kind: n.text(2), day: n.int(3),
                                    volume: VolumeCount(events: n.int(4), bytes: n.int(5))))
        }
        let ex = try db.prepare("SELECT rule, example FROM noise_rules")
        while try ex.step() { rows.examples[ex.text(0)] = ex.text(1) }
        rows.failureGroups = try failureGroupsInSnapshot(deployment: nil, fromNs: fromNs, toNs: toNs - 1)
        let pd = try db.prepare("""
        SELECT deployment, count(*) FROM (SELECT DISTINCT s.deployment, s.namespace, s.pod, d.day FROM stream_days d
          JOIN streams s ON s.id = d.stream_id WHERE s.pod != '' AND d.events > 0 AND d.day >= ? AND d.day <= ?) GROUP BY deployment
        """)
        pd.bind(1, days.lowerBound); pd.bind(2, days.upperBound)
        while try pd.step() { rows.podDays[pd.text(0), default: 0] += pd.int(1) }
        // Security findings (the example of each group's earliest day).
        let f = try db.prepare("""
        SELECT deployment, class, sum(events), min(first_ns), example FROM findings WHERE day >= ? AND day <= ? GROUP BY deployment, class
        """)
        f.bind(1, days.lowerBound); f.bind(2, days.upperBound)
        while try f.step() {
            rows.findings.append((f.text(0), FindingCount(securityClass: f.text(1), events: f.int(2), firstNs: f.int(3), example: f.text(4))))
        }
        rows.spans = try rolloutSpans(windowNs: parallelismWindowNs)
        // The store's data: stored events, and hours in which noise rules removed everything.
        let span = try db.prepare("""
        SELECT min(t0), max(t1) FROM (SELECT min(min_ts) AS t0, max(max_ts) AS t1 FROM partitions
          UNION ALL SELECT min(hour), max(hour) + \(ScoreRows.hourNs - 1) FROM noise_counts)
        """)
        if try span.step(), !span.isNull(0) { rows.dataSpan = (span.int(0), span.int(1)) }
        span.reset()
        rows.templates = try templateVolumesInSnapshot(fromNs: fromNs, toNs: toNs - 1)
        return rows
    }

    /// Counted from the blocks (templates are not kept per deployment elsewhere).
    public func templateBytesByDeployment(_ ids: Set<UInt64>, fromNs: Int64, toNs: Int64) throws -> [UInt64: [String: Int64]] {
        guard !ids.isEmpty, fromNs < toNs else { return [:] }
        return try snapshot {
            let streams = try self.streams()
            var out: [UInt64: [String: Int64]] = [:]
            let p = try db.prepare("SELECT day, name FROM partitions WHERE day >= ? AND day <= ?")
            let days = ScoreRows.days(fromNs, toNs)
            p.bind(1, days.lowerBound); p.bind(2, days.upperBound)
            var parts: [(Int32, String)] = []
            while try p.step() { parts.append((Int32(p.int(0)), p.text(1))) }
            for (day, name) in parts {
                let s = try db.prepare("SELECT stream_id, data FROM blocks_\(name)")
                while try s.step() {
                    let labels = streams[s.int(0)] ?? StreamLabels(source: "")
                    let block = try decodeBlock(s.blob(1), labels: labels, day: day)
                    for i in 0..<block.count where ids.contains(block.templates[i]) {
                        out[block.templates[i], default: [:]][labels.deployment, default: 0] += Int64(block.lengths[i])
                    }
                }
                s.reset()
            }
            return out
        }
    }

    /// Every rollout of the store with its span and outcome.
    func rolloutSpans(windowNs: Int64) throws -> [RolloutSpan] {
        let rollouts = try rolloutsInSnapshot(deployment: nil, fromNs: Int64.min, toNs: Int64.max, countFailures: false)
        var podLast: [String: [String: Int64]] = [:]
        let p = try db.prepare("SELECT deployment, hash, last_ns FROM pod_versions")
        while try p.step() { podLast[p.text(0), default: [:]][p.text(1)] = p.int(2) }
        var introduced: [String: [Int64]] = [:]
        let f = try db.prepare("SELECT deployment, min(first_ns) FROM failure_groups GROUP BY deployment, template, kind")
        while try f.step() { introduced[f.text(0), default: []].append(f.int(1)) }
        return RolloutSpan.spans(rollouts, podLastNs: podLast, introduced: introduced, windowNs: windowNs)
    }

    /// Pages of one day's full-text index (the FTS5 shadow tables of `terms_NAME`).
    func ftsBytes(partition name: String) throws -> Int64 {
        let s = try db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (?, ?, ?, ?)")
        for (i, suffix) in ["_data", "_idx", "_config", "_docsize"].enumerated() { s.bind(Int32(i + 1), "terms_" + name + suffix) }
        defer { s.reset() }
        return try s.step() ? s.int(0) : 0
    }
}
