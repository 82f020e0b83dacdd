import Filters
import LogCore
import Foundation

/// The figures of scoring.md per deployment and for the whole store, read from the tables ingest fills.
extension EmbeddedStoreReader {
    static let dayNs: Int64 = 86_400_000_000_000
    static let hourNs: Int64 = 3_600_000_000_000

    /// The default pack's `redact` rules: what they mask are secrets, fixed before storage.
    static let secretRules: Set<String> = Set(FilterConfig.defaultPack.rules.compactMap { r in
        if case .redact = r.action { return r.name }
        return nil
    })

    /// Every figure of [fromNs, toNs) in one snapshot. `nowNs` ends the covered part of a range that reaches past the
    /// newest data; `parallelismWindowNs` is how long after a rollout a new failure counts against it.
    public func scoreFigures(fromNs: Int64, toNs: Int64, nowNs: Int64, parallelismWindowNs: Int64) throws -> ScoreFigures {
        precondition(fromNs < toNs, "BUG: empty score range")
        return try snapshot {
            let days = Timestamp.floorDiv(fromNs, Self.dayNs)...Timestamp.floorDiv(toNs - 1, Self.dayNs)
            let hours = Timestamp.floorDiv(fromNs, Self.hourNs) * Self.hourNs...Timestamp.floorDiv(toNs - 1, Self.hourNs) * Self.hourNs
            var scopes: [String: ScopeCounts] = [:]
            func scope(_ d: String) -> ScopeCounts { scopes[d] ?? ScopeCounts(deployment: d) }
            var daily: [Int64: DayCounts] = [:]

            // Stored volume and quality, per deployment and day.
            var textByDay: [Int64: [String: Int64]] = [:]
            let sd = try db.prepare("""
            SELECT d.day, s.deployment, sum(d.events), sum(d.bytes), sum(d.incomplete), sum(d.structured)
            FROM stream_days d JOIN streams s ON s.id = d.stream_id WHERE d.day >= ? AND d.day <= ? GROUP BY d.day, s.deployment
            """)
            sd.bind(1, days.lowerBound); sd.bind(2, days.upperBound)
            while try sd.step() {
                let day = sd.int(0), d = sd.text(1), v = VolumeCount(events: sd.int(2), bytes: sd.int(3))
                var c = scope(d)
                c.stored = c.stored + v
                c.incomplete += sd.int(4)
                c.structured += sd.int(5)
                scopes[d] = c
                textByDay[day, default: [:]][d, default: 0] += v.bytes
                daily[day, default: DayCounts(dayNs: day * Self.dayNs)].stored.add(v)
            }

            // Bytes on disk per day, shared out by stored text bytes.
            let p = try db.prepare("SELECT day, name, data_bytes, bloom_bytes FROM partitions WHERE day >= ? AND day <= ?")
            p.bind(1, days.lowerBound); p.bind(2, days.upperBound)
            var parts: [(day: Int64, name: String, data: Int64, bloom: Int64)] = []
            while try p.step() { parts.append((p.int(0), p.text(1), p.int(2), p.int(3))) }
            for part in parts {
                let index = try ftsBytes(partition: part.name) + part.bloom
                daily[part.day, default: DayCounts(dayNs: part.day * Self.dayNs)].bytesStoredData += part.data
                daily[part.day]!.bytesStoredIndex += index
                let shares = textByDay[part.day] ?? [:]
                let total = shares.values.reduce(0, +)
                guard total > 0 else { continue }
                for (d, bytes) in shares {
                    var c = scope(d)
                    c.bytesStoredData += Self.share(part.data, bytes, total)
                    c.bytesStoredIndex += Self.share(index, bytes, total)
                    scopes[d] = c
                }
            }

            // Noise removals per rule, deployment and kind.
            var removals: [String: [String: [String: VolumeCount]]] = [:]  // rule -> kind -> deployment
            let n = try db.prepare("""
            SELECT rule, deployment, kind, hour / \(Self.dayNs), sum(events), sum(bytes) FROM noise_counts
            WHERE hour >= ? AND hour <= ? GROUP BY rule, deployment, kind, hour / \(Self.dayNs)
            """)
            n.bind(1, hours.lowerBound); n.bind(2, hours.upperBound)
            while try n.step() {
                let rule = n.text(0), d = n.text(1), kind = n.text(2), day = n.int(3), v = VolumeCount(events: n.int(4), bytes: n.int(5))
                let secret = Self.secretRules.contains(rule)
                var c = scope(d)
                c.noise.add(kind: kind, v, secretRule: secret)
                scopes[d] = c
                daily[day, default: DayCounts(dayNs: day * Self.dayNs)].noise.add(kind: kind, v, secretRule: secret)
                if ["dropped", "sampled", "deduplicated", "throttled"].contains(kind) {
                    removals[rule, default: [:]][kind, default: [:]][d, default: VolumeCount()].add(v)
                }
            }
            var examples: [String: String] = [:]
            let ex = try db.prepare("SELECT rule, example FROM noise_rules")
            while try ex.step() { examples[ex.text(0)] = ex.text(1) }
            var ruleRemovals: [RuleRemoval] = []
            for (rule, kinds) in removals {
                for (kind, byDeployment) in kinds {
                    let list = byDeployment.map { DeploymentRemoval(deployment: $0.key, removed: $0.value) }
                        .sorted { ($1.removed.bytes, $0.deployment) < ($0.removed.bytes, $1.deployment) }
                    ruleRemovals.append(RuleRemoval(rule: rule, kind: kind, removed: list.reduce(VolumeCount()) { $0 + $1.removed },
                                                    byDeployment: list, example: examples[rule] ?? ""))
                }
            }
            ruleRemovals.sort { ($1.removed.bytes, $0.rule, $0.kind) < ($0.removed.bytes, $1.rule, $1.kind) }

            // Failures, with traceability, context and stability kinds.
            let groups = try failureGroupsInSnapshot(deployment: nil, fromNs: fromNs, toNs: toNs - 1)
            for g in groups {
                var c = scope(g.deployment)
                c.failures += g.events
                c.failuresContextFull += g.contextFull
                if g.traced { c.failuresTraced += g.events }
                switch g.kind {
                case FailureKind.oomKilled.rawValue: c.stability.oomKilled += g.events
                case FailureKind.evicted.rawValue: c.stability.evicted += g.events
                case FailureKind.probeFailed.rawValue: c.stability.probeFailed += g.events
                case FailureKind.crashLoop.rawValue:
                    let text = g.templateText.isEmpty ? g.example : g.templateText
                    if text.range(of: "back-off restarting", options: .caseInsensitive) != nil { c.stability.restarts += g.events }
                    else { c.stability.crashLoop += g.events }
                default: break
                }
                scopes[g.deployment] = c
            }

            // Pod-days.
            let pd = try db.prepare("""
            SELECT deployment, count(*) FROM (SELECT DISTINCT s.deployment, s.namespace, s.pod, d.day FROM stream_days d
              JOIN streams s ON s.id = d.stream_id WHERE s.pod != '' AND d.events > 0 AND d.day >= ? AND d.day <= ?) GROUP BY deployment
            """)
            pd.bind(1, days.lowerBound); pd.bind(2, days.upperBound)
            while try pd.step() {
                var c = scope(pd.text(0))
                c.podDays += pd.int(1)
                scopes[pd.text(0)] = c
            }

            // Security findings (the example of each group's earliest day).
            let f = try db.prepare("""
            SELECT deployment, class, sum(events), min(first_ns), example FROM findings WHERE day >= ? AND day <= ? GROUP BY deployment, class
            """)
            f.bind(1, days.lowerBound); f.bind(2, days.upperBound)
            while try f.step() {
                var c = scope(f.text(0))
                c.findings.append(FindingCount(securityClass: f.text(1), events: f.int(2), firstNs: f.int(3), example: f.text(4)))
                scopes[f.text(0)] = c
            }

            // Rollouts and their spans.
            let spans = try rolloutSpans(windowNs: parallelismWindowNs)
            let inRange = spans.filter { $0.startNs >= fromNs && $0.startNs < toNs }
            for (d, list) in Dictionary(grouping: inRange, by: \.rollout.deployment) {
                var c = scope(d)
                c.rollouts = Int64(list.count)
                c.rolloutsVisible = Int64(list.filter(\.rollout.visible).count)
                c.overlap = RolloutSpan.overlap(list, among: spans)
                scopes[d] = c
            }

            // The whole store: the sum of its deployments ("" holds node and CI logs without one).
            var overall = ScopeCounts(deployment: nil)
            for c in scopes.values { overall.add(c) }
            // On disk, the whole store takes the partitions' bytes (the deployments' shares are rounded down).
            overall.bytesStoredData = daily.values.reduce(0) { $0 + $1.bytesStoredData }
            overall.bytesStoredIndex = daily.values.reduce(0) { $0 + $1.bytesStoredIndex }
            overall.overlap = RolloutSpan.overlap(inRange, among: spans)

            // The store's data: stored events, and hours in which noise rules removed everything.
            let span = try db.prepare("""
            SELECT min(t0), max(t1) FROM (SELECT min(min_ts) AS t0, max(max_ts) AS t1 FROM partitions
              UNION ALL SELECT min(hour), max(hour) + \(Self.hourNs - 1) FROM noise_counts)
            """)
            var covered = (fromNs, fromNs)
            if try span.step(), !span.isNull(0) {
                covered = (max(fromNs, span.int(0)), min(toNs, max(nowNs, span.int(1) + 1)))
                if covered.1 < covered.0 { covered.1 = covered.0 }
            }
            span.reset()
            var dayList: [DayCounts] = []
            if covered.1 > covered.0 {
                for day in Timestamp.floorDiv(covered.0, Self.dayNs)...Timestamp.floorDiv(covered.1 - 1, Self.dayNs) {
                    dayList.append(daily[day] ?? DayCounts(dayNs: day * Self.dayNs))
                }
            }
            return ScoreFigures(
                fromNs: fromNs, toNs: toNs, coveredFromNs: covered.0, coveredToNs: covered.1, overall: overall,
                deployments: scopes.values.filter { $0.deployment != "" }.sorted { $0.deployment! < $1.deployment! },
                ruleRemovals: ruleRemovals, daily: dayList, templates: try templateVolumesInSnapshot(fromNs: fromNs, toNs: toNs - 1),
                failureGroups: groups, rollouts: inRange)
        }
    }

    /// Stored text bytes of the given templates per deployment ("" for streams without one) over the UTC days of
    /// [fromNs, toNs), counted from the blocks (templates are not kept per deployment elsewhere).
    public func templateBytesByDeployment(_ ids: Set<UInt64>, fromNs: Int64, toNs: Int64) throws -> [UInt64: [String: Int64]] {
        guard !ids.isEmpty, fromNs < toNs else { return [:] }
        return try snapshot {
            let streams = try self.streams()
            var out: [UInt64: [String: Int64]] = [:]
            let p = try db.prepare("SELECT day, name FROM partitions WHERE day >= ? AND day <= ?")
            p.bind(1, Timestamp.floorDiv(fromNs, Self.dayNs)); p.bind(2, Timestamp.floorDiv(toNs - 1, Self.dayNs))
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

    /// `part` × bytes / total, rounded down (the remainder stays unassigned rather than being counted twice).
    static func share(_ part: Int64, _ bytes: Int64, _ total: Int64) -> Int64 {
        Int64((Double(part) * Double(bytes) / Double(total)).rounded(.down))
    }

}

extension VolumeCount {
    mutating func add(_ v: VolumeCount) { self = self + v }
}

extension ScopeCounts {
    /// Adds another scope's counts (overlap figures excepted: they do not add up).
    mutating func add(_ o: ScopeCounts) {
        stored.add(o.stored)
        incomplete += o.incomplete
        structured += o.structured
        noise = noise + o.noise
        bytesStoredData += o.bytesStoredData
        bytesStoredIndex += o.bytesStoredIndex
        failures += o.failures
        failuresTraced += o.failuresTraced
        failuresContextFull += o.failuresContextFull
        rollouts += o.rollouts
        rolloutsVisible += o.rolloutsVisible
        stability.restarts += o.stability.restarts
        stability.crashLoop += o.stability.crashLoop
        stability.oomKilled += o.stability.oomKilled
        stability.evicted += o.stability.evicted
        stability.probeFailed += o.stability.probeFailed
        podDays += o.podDays
        findings += o.findings
    }
}
