import Foundation
import LogCore

/// Scores, reports and rule suggestions from a ClickHouse store: the server sums the rows of committed batches,
/// and the same assembly as the embedded store turns them into figures. Stored volume, quality and pod-days are
/// counted from the events themselves (the embedded store keeps them per stream and day at ingest).
extension ClickHouseReader: ScoreReader {
    public func scoreFigures(fromNs: Int64, toNs: Int64, nowNs: Int64, parallelismWindowNs: Int64) throws -> ScoreFigures {
        precondition(fromNs < toNs, "BUG: empty score range")
        let days = ScoreRows.days(fromNs, toNs), hours = ScoreRows.hours(fromNs, toNs)
        let inDays = "day >= \(Self.date(days.lowerBound)) AND day <= \(Self.date(days.upperBound))"
        var rows = ScoreRows()
        let partial = EventFlags([.truncated, .parseError, .capped]).rawValue
        let inherited = EventFlags([.timeInherited, .badTimestamp]).rawValue
        for r in try client.rows("""
            SELECT toUInt16(day), deployment, count(), sum(length(text)), countIf(bitAnd(flags, \(partial)) != 0),
              countIf(bitAnd(flags, \(inherited)) = 0 AND level != \(LogLevel.unknown.rawValue))
            FROM \(table("events")) WHERE \(visible) AND \(inDays) GROUP BY day, deployment
            """) where r.count == 6 {
            rows.streamDays.append(.init(day: Int64(r[0]) ?? 0, deployment: Self.unescape(r[1]),
                                         stored: VolumeCount(events: Int64(r[2]) ?? 0, bytes: Int64(r[3]) ?? 0),
                                         incomplete: Int64(r[4]) ?? 0, structured: Int64(r[5]) ?? 0))
        }
        // On disk: each day's partition of the events table on every server; index = everything but the compressed
        // columns (primary index, marks, skip indexes, checksums).
        for c in clients {
            for r in try c.rows("""
                SELECT toUInt16(min_date), sum(data_compressed_bytes), sum(bytes_on_disk) - sum(data_compressed_bytes) FROM system.parts
                WHERE database = \(ClickHouseSQL.quote(c.config.database)) AND table = 'events' AND active
                  AND min_date >= \(Self.date(days.lowerBound)) AND min_date <= \(Self.date(days.upperBound)) GROUP BY min_date
                """) where r.count == 3 {
                rows.partitions.append(.init(day: Int64(r[0]) ?? 0, data: Int64(r[1]) ?? 0, index: Int64(r[2]) ?? 0))
            }
        }
        for r in try client.rows("""
            SELECT rule, deployment, kind, intDiv(hour, \(ScoreRows.dayNs)), sum(events), sum(bytes) FROM \(table("noise_counts"))
            WHERE \(visible) AND hour >= \(hours.lowerBound) AND hour <= \(hours.upperBound)
            GROUP BY rule, deployment, kind, intDiv(hour, \(ScoreRows.dayNs))
            """) where r.count == 6 {
            rows.noise.append(.init(rule: Self.unescape(r[0]), deployment: Self.unescape(r[1]), kind: Self.unescape(r[2]),
                                    day: Int64(r[3]) ?? 0, volume: VolumeCount(events: Int64(r[4]) ?? 0, bytes: Int64(r[5]) ?? 0)))
        }
        for r in try client.rows("SELECT rule, argMin(example, first_ns) FROM \(table("noise_rules")) WHERE \(visible) GROUP BY rule")
            where r.count == 2 {
            rows.examples[Self.unescape(r[0])] = Self.unescape(r[1])
        }
        rows.failureGroups = try failureGroups(deployment: nil, fromNs: fromNs, toNs: toNs - 1, limit: nil)
        for r in try client.rows("""
            SELECT deployment, uniqExact(namespace, pod, day) FROM \(table("events"))
            WHERE \(visible) AND pod != '' AND \(inDays) GROUP BY deployment
            """) where r.count == 2 {
            rows.podDays[Self.unescape(r[0]), default: 0] += Int64(r[1]) ?? 0
        }
        for r in try client.rows("""
            SELECT deployment, class, sum(events), min(first_ns), argMin(example, first_ns) FROM \(table("findings"))
            WHERE \(visible) AND day >= \(days.lowerBound) AND day <= \(days.upperBound) GROUP BY deployment, class
            """) where r.count == 5 {
            rows.findings.append((Self.unescape(r[0]), FindingCount(securityClass: Self.unescape(r[1]), events: Int64(r[2]) ?? 0,
                                                                    firstNs: Int64(r[3]) ?? 0, example: Self.unescape(r[4]))))
        }
        rows.spans = try rolloutSpans(windowNs: parallelismWindowNs)
        let events = try client.rows("SELECT count(), min(ns), max(ns) FROM \(table("events")) WHERE \(visible)").first ?? []
        let noise = try client.rows("SELECT count(), min(hour), max(hour) FROM \(table("noise_counts")) WHERE \(visible)").first ?? []
        var spans: [(Int64, Int64)] = []
        if events.count == 3, (Int64(events[0]) ?? 0) > 0 { spans.append((Int64(events[1]) ?? 0, Int64(events[2]) ?? 0)) }
        if noise.count == 3, (Int64(noise[0]) ?? 0) > 0 { spans.append((Int64(noise[1]) ?? 0, (Int64(noise[2]) ?? 0) + ScoreRows.hourNs - 1)) }
        if !spans.isEmpty { rows.dataSpan = (spans.map(\.0).min()!, spans.map(\.1).max()!) }
        rows.templates = try templateVolumes(fromNs: fromNs, toNs: toNs - 1)
        return ScoreFigures.assemble(rows, fromNs: fromNs, toNs: toNs, nowNs: nowNs)
    }

    /// Counted from the events' template column.
    public func templateBytesByDeployment(_ ids: Set<UInt64>, fromNs: Int64, toNs: Int64) throws -> [UInt64: [String: Int64]] {
        guard !ids.isEmpty, fromNs < toNs else { return [:] }
        let days = ScoreRows.days(fromNs, toNs)
        var out: [UInt64: [String: Int64]] = [:]
        for r in try client.rows("""
            SELECT template, deployment, sum(length(text)) FROM \(table("events"))
            WHERE \(visible) AND day >= \(Self.date(days.lowerBound)) AND day <= \(Self.date(days.upperBound))
              AND template IN (\(ids.sorted().map(String.init).joined(separator: ","))) GROUP BY template, deployment
            """) where r.count == 3 {
            guard let id = UInt64(r[0]) else { continue }
            out[id, default: [:]][Self.unescape(r[1]), default: 0] += Int64(r[2]) ?? 0
        }
        return out
    }

    /// Volumes and evidence summed over the range's days; first and last seen, highest level and failure context
    /// over the whole store (as the embedded store keeps them per template).
    public func templateVolumes(fromNs: Int64, toNs: Int64) throws -> [TemplateVolume] {
        let fromDay = fromNs == Int64.min ? Int64(Int32.min) : fromNs / ScoreRows.dayNs
        let toDay = toNs == Int64.max ? Int64(Int32.max) : toNs / ScoreRows.dayNs
        var out: [TemplateVolume] = []
        var byID: [UInt64: Int] = [:]
        for r in try client.rows("""
            SELECT id, sum(events), sum(bytes), sum(gaps), sum(gap_sum), sum(gap_squares), sum(repeats), groupBitOr(sketch),
              groupBitOr(traits)
            FROM \(table("template_days")) WHERE \(visible) AND events > 0 AND day >= \(fromDay) AND day <= \(toDay) GROUP BY id
            """) where r.count == 9 {
            guard let id = UInt64(r[0]) else { continue }
            let stats = TemplateStats(gaps: Int64(r[3]) ?? 0, gapSum: Double(r[4]) ?? 0, gapSquares: Double(r[5]) ?? 0,
                                      repeats: Int64(r[6]) ?? 0, sketch: UInt64(r[7]) ?? 0, traits: UInt8(r[8]) ?? 0)
            byID[id] = out.count
            out.append(TemplateVolume(id: id, text: "", day: 0, events: Int64(r[1]) ?? 0, bytes: Int64(r[2]) ?? 0, firstNs: 0, lastNs: 0,
                                      maxLevel: 0, inFailureContext: false, stats: stats))
        }
        guard !out.isEmpty else { return [] }
        let ids = byID.keys.sorted().map(String.init).joined(separator: ",")
        for r in try client.rows("""
            SELECT id, min(first_ns), max(last_ns), max(max_level), max(failure_context) FROM \(table("template_days"))
            WHERE \(visible) AND id IN (\(ids)) GROUP BY id
            """) where r.count == 5 {
            guard let id = UInt64(r[0]), let i = byID[id] else { continue }
            out[i].firstNs = Int64(r[1]) ?? 0
            out[i].lastNs = Int64(r[2]) ?? 0
            out[i].maxLevel = UInt8(r[3]) ?? 0
            out[i].inFailureContext = r[4] == "1"
        }
        for r in try client.rows("SELECT id, any(text) FROM \(table("templates")) WHERE \(visible) AND id IN (\(ids)) GROUP BY id")
            where r.count == 2 {
            if let id = UInt64(r[0]), let i = byID[id] { out[i].text = Self.unescape(r[1]) }
        }
        for r in try client.rows("""
            SELECT id, uniqExact(pod) FROM \(table("template_pods")) WHERE \(visible) AND day >= \(fromDay) AND day <= \(toDay)
            GROUP BY id
            """) where r.count == 2 {
            if let id = UInt64(r[0]), let i = byID[id] { out[i].podCount = Int(r[1]) ?? 0 }
        }
        return out.sorted { ($1.bytes, $0.id) < ($0.bytes, $1.id) }
    }

    /// Every rollout of the store with its span and outcome.
    func rolloutSpans(windowNs: Int64) throws -> [RolloutSpan] {
        let rollouts = try timeline(nil)
        var podLast: [String: [String: Int64]] = [:]
        for r in try client.rows("SELECT deployment, hash, max(last_ns) FROM \(table("pod_versions")) WHERE \(visible) GROUP BY deployment, hash")
            where r.count == 3 {
            podLast[Self.unescape(r[0]), default: [:]][Self.unescape(r[1])] = Int64(r[2]) ?? 0
        }
        var introduced: [String: [Int64]] = [:]
        for r in try client.rows("""
            SELECT deployment, min(first_ns) FROM \(table("failure_groups")) WHERE \(visible) GROUP BY deployment, template, kind
            """) where r.count == 2 {
            introduced[Self.unescape(r[0]), default: []].append(Int64(r[1]) ?? 0)
        }
        return RolloutSpan.spans(rollouts, podLastNs: podLast, introduced: introduced, windowNs: windowNs)
    }

    /// A `Date` literal for a UTC day number (days before 1970 are the first day: the column cannot hold them).
    static func date(_ day: Int64) -> String {
        "toDate(\(ClickHouseSQL.quote(String(Timestamp.rfc3339(max(0, min(day, 49_000)) * ScoreRows.dayNs).prefix(10)))))"
    }
}
