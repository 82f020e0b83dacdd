import Filters
import LogCore

/// What scores and reports read, whichever store holds the events: the figures of a range, the per-deployment
/// split of chosen templates, and the template volumes that rule suggestions rank.
public protocol ScoreReader: LogReader {
    /// Every figure of [fromNs, toNs). `nowNs` ends the covered part of a range that reaches past the newest data;
    /// `parallelismWindowNs` is how long after a rollout a new failure counts against it.
    func scoreFigures(fromNs: Int64, toNs: Int64, nowNs: Int64, parallelismWindowNs: Int64) throws -> ScoreFigures
    /// Stored text bytes of the given templates per deployment ("" for streams without one) over the UTC days of
    /// [fromNs, toNs).
    func templateBytesByDeployment(_ ids: Set<UInt64>, fromNs: Int64, toNs: Int64) throws -> [UInt64: [String: Int64]]
    /// Stored volume per template over the UTC days of [fromNs, toNs], with its chatter evidence, biggest first.
    func templateVolumes(fromNs: Int64, toNs: Int64) throws -> [TemplateVolume]
}

/// The rows a store gives for one score range; ``ScoreFigures/assemble(_:fromNs:toNs:nowNs:)`` turns them into
/// figures the same way for both stores.
struct ScoreRows {
    /// Stored volume and quality per UTC day and deployment.
    struct StreamDay { var day: Int64; var deployment: String; var stored: VolumeCount; var incomplete: Int64; var structured: Int64 }
    /// Bytes on disk of one UTC day: compressed events, and index (full-text, Bloom filters, skip indexes).
    struct Partition { var day: Int64; var data: Int64; var index: Int64 }
    /// Removals of one rule, deployment and kind on one UTC day.
    struct Noise { var rule: String; var deployment: String; var kind: String; var day: Int64; var volume: VolumeCount }

    var streamDays: [StreamDay] = []
    var partitions: [Partition] = []
    var noise: [Noise] = []
    /// Each rule's first example line.
    var examples: [String: String] = [:]
    var failureGroups: [FailureGroup] = []
    /// Distinct (pod, UTC day) pairs per deployment.
    var podDays: [String: Int64] = [:]
    var findings: [(deployment: String, finding: FindingCount)] = []
    /// Every rollout of the store with its span.
    var spans: [RolloutSpan] = []
    /// The oldest and newest instant the store has data for (events, and hours of noise counts); nil when empty.
    var dataSpan: (from: Int64, to: Int64)?
    var templates: [TemplateVolume] = []

    static let dayNs: Int64 = 86_400_000_000_000
    static let hourNs: Int64 = 3_600_000_000_000

    /// The UTC days and the hours (as nanoseconds of their start) that touch [fromNs, toNs).
    static func days(_ fromNs: Int64, _ toNs: Int64) -> ClosedRange<Int64> {
        Timestamp.floorDiv(fromNs, dayNs)...Timestamp.floorDiv(toNs - 1, dayNs)
    }

    static func hours(_ fromNs: Int64, _ toNs: Int64) -> ClosedRange<Int64> {
        Timestamp.floorDiv(fromNs, hourNs) * hourNs...Timestamp.floorDiv(toNs - 1, hourNs) * hourNs
    }

    /// The default pack's `redact` rules: what they mask are secrets, fixed before storage.
    static let secretRules: Set<String> = Set(FilterConfig.defaultPack.rules.compactMap { r in
        if case .redact = r.action { return r.name }
        return nil
    })

    /// The stability counts of a failure group's kind.
    static func addStability(_ g: FailureGroup, to c: inout ScopeCounts) {
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
    }

    /// `part` × bytes / total, rounded down (the remainder stays unassigned rather than being counted twice).
    static func share(_ part: Int64, _ bytes: Int64, _ total: Int64) -> Int64 {
        Int64((Double(part) * Double(bytes) / Double(total)).rounded(.down))
    }
}

extension ScoreFigures {
    /// The figures of [fromNs, toNs) from a store's rows.
    static func assemble(_ rows: ScoreRows, fromNs: Int64, toNs: Int64, nowNs: Int64) -> ScoreFigures {
        var scopes: [String: ScopeCounts] = [:]
        func scope(_ d: String) -> ScopeCounts { scopes[d] ?? ScopeCounts(deployment: d) }
        var daily: [Int64: DayCounts] = [:]
        func day(_ d: Int64) -> DayCounts { daily[d] ?? DayCounts(dayNs: d * ScoreRows.dayNs) }

        // Stored volume and quality.
        var textByDay: [Int64: [String: Int64]] = [:]
        for r in rows.streamDays {
            var c = scope(r.deployment)
            c.stored.add(r.stored)
            c.incomplete += r.incomplete
            c.structured += r.structured
            scopes[r.deployment] = c
            textByDay[r.day, default: [:]][r.deployment, default: 0] += r.stored.bytes
            var d = day(r.day)
            d.stored.add(r.stored)
            daily[r.day] = d
        }

        // Bytes on disk per day, shared out by stored text bytes.
        for p in rows.partitions {
            var d = day(p.day)
            d.bytesStoredData += p.data
            d.bytesStoredIndex += p.index
            daily[p.day] = d
            let shares = textByDay[p.day] ?? [:]
            let total = shares.values.reduce(0, +)
            guard total > 0 else { continue }
            for (name, bytes) in shares {
                var c = scope(name)
                c.bytesStoredData += ScoreRows.share(p.data, bytes, total)
                c.bytesStoredIndex += ScoreRows.share(p.index, bytes, total)
                scopes[name] = c
            }
        }

        // Noise removals per rule, deployment and kind.
        var removals: [String: [String: [String: VolumeCount]]] = [:]  // rule -> kind -> deployment
        for n in rows.noise {
            let secret = ScoreRows.secretRules.contains(n.rule)
            var c = scope(n.deployment)
            c.noise.add(kind: n.kind, n.volume, secretRule: secret)
            scopes[n.deployment] = c
            var d = day(n.day)
            d.noise.add(kind: n.kind, n.volume, secretRule: secret)
            daily[n.day] = d
            if ["dropped", "sampled", "deduplicated", "throttled"].contains(n.kind) {
                removals[n.rule, default: [:]][n.kind, default: [:]][n.deployment, default: VolumeCount()].add(n.volume)
            }
        }
        var ruleRemovals: [RuleRemoval] = []
        for (rule, kinds) in removals {
            for (kind, byDeployment) in kinds {
                let list = byDeployment.map { DeploymentRemoval(deployment: $0.key, removed: $0.value) }
                    .sorted { ($1.removed.bytes, $0.deployment) < ($0.removed.bytes, $1.deployment) }
                ruleRemovals.append(RuleRemoval(rule: rule, kind: kind, removed: list.reduce(VolumeCount()) { $0 + $1.removed },
                                                byDeployment: list, example: rows.examples[rule] ?? ""))
            }
        }
        ruleRemovals.sort { ($1.removed.bytes, $0.rule, $0.kind) < ($0.removed.bytes, $1.rule, $1.kind) }

        // Failures, with traceability, context and stability kinds.
        for g in rows.failureGroups {
            var c = scope(g.deployment)
            c.failures += g.events
            c.failuresContextFull += g.contextFull
            if g.traced { c.failuresTraced += g.events }
            ScoreRows.addStability(g, to: &c)
            scopes[g.deployment] = c
        }
        for (name, n) in rows.podDays {
            var c = scope(name)
            c.podDays += n
            scopes[name] = c
        }
        for f in rows.findings {
            var c = scope(f.deployment)
            c.findings.append(f.finding)
            scopes[f.deployment] = c
        }

        // Rollouts and their spans.
        let inRange = rows.spans.filter { $0.startNs >= fromNs && $0.startNs < toNs }
        for (name, list) in Dictionary(grouping: inRange, by: \.rollout.deployment) {
            var c = scope(name)
            c.rollouts = Int64(list.count)
            c.rolloutsVisible = Int64(list.filter(\.rollout.visible).count)
            c.overlap = RolloutSpan.overlap(list, among: rows.spans)
            scopes[name] = c
        }

        // The whole store: the sum of its deployments ("" holds node and CI logs without one).
        var overall = ScopeCounts(deployment: nil)
        for c in scopes.values { overall.add(c) }
        overall.findings.sort { ($0.securityClass, $0.firstNs) < ($1.securityClass, $1.firstNs) }
        // On disk, the whole store takes the partitions' bytes (the deployments' shares are rounded down).
        overall.bytesStoredData = daily.values.reduce(0) { $0 + $1.bytesStoredData }
        overall.bytesStoredIndex = daily.values.reduce(0) { $0 + $1.bytesStoredIndex }
        overall.overlap = RolloutSpan.overlap(inRange, among: rows.spans)

        var covered = (fromNs, fromNs)
        if let span = rows.dataSpan {
            covered = (max(fromNs, span.from), min(toNs, max(nowNs, span.to + 1)))
            if covered.1 < covered.0 { covered.1 = covered.0 }
        }
        var dayList: [DayCounts] = []
        if covered.1 > covered.0 {
            for d in ScoreRows.days(covered.0, covered.1) { dayList.append(day(d)) }
        }
        for i in scopes.keys { scopes[i]!.findings.sort { ($0.securityClass, $0.firstNs) < ($1.securityClass, $1.firstNs) } }
        return ScoreFigures(
            fromNs: fromNs, toNs: toNs, coveredFromNs: covered.0, coveredToNs: covered.1, overall: overall,
            deployments: scopes.values.filter { $0.deployment != "" }.sorted { $0.deployment! < $1.deployment! },
            ruleRemovals: ruleRemovals, daily: dayList, templates: rows.templates, failureGroups: rows.failureGroups, rollouts: inRange)
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
