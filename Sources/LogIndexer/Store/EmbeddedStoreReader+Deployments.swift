public import LogCore
import Filters

/// Failures by deployment and the rollout timeline, read from the deployment tables.
extension EmbeddedStoreReader {
    /// The rollout timeline of one deployment (nil: all), rollouts that started in the range, each with the
    /// failures that followed it. Linking looks at the whole store so that a range boundary does not cut a link.
    public func rollouts(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [Rollout] {
        try snapshot { try rolloutsInSnapshot(deployment: deployment, fromNs: fromNs, toNs: toNs) }
    }

    func rolloutsInSnapshot(deployment: String?, fromNs: Int64, toNs: Int64) throws -> [Rollout] {
        var pods: [PodVersionRow] = []
        let p = try db.prepare("SELECT deployment, hash, first_ns, last_ns FROM pod_versions WHERE ?1 IS NULL OR deployment = ?1")
        if let deployment { p.bind(1, deployment) } else { p.bindNull(1) }
        while try p.step() { pods.append(PodVersionRow(deployment: p.text(0), hash: p.text(1), firstNs: p.int(2), lastNs: p.int(3))) }
        var events: [DeployEventRow] = []
        let e = try db.prepare("SELECT ns, deployment, kind, version, image, revision, status, pod, text FROM deploy_events WHERE ?1 IS NULL OR deployment = ?1 ORDER BY ns")
        if let deployment { e.bind(1, deployment) } else { e.bindNull(1) }
        while try e.step() {
            guard let kind = DeploySignal.Kind(rawValue: e.text(2)), let status = DeploySignal.Status(rawValue: e.text(6)) else { continue }
            events.append(DeployEventRow(ns: e.int(0), deployment: e.text(1), kind: kind, version: e.text(3), image: e.text(4),
                                         revision: e.text(5), status: status, pod: e.text(7), text: e.text(8)))
        }
        var rollouts = RolloutTimeline.build(pods: pods, events: events)
        // Failures after each rollout, until the next one of the same deployment.
        let f = try db.prepare("SELECT deployment, first_ns, events FROM failure_groups WHERE ?1 IS NULL OR deployment = ?1")
        if let deployment { f.bind(1, deployment) } else { f.bindNull(1) }
        var byDeployment: [String: [Int]] = [:]
        for (i, r) in rollouts.enumerated() { byDeployment[r.deployment, default: []].append(i) }
        while try f.step() {
            guard let idx = byDeployment[f.text(0)] else { continue }
            let ns = f.int(1)
            if let i = idx.last(where: { rollouts[$0].startNs <= ns }) { rollouts[i].failuresAfter += f.int(2) }
        }
        return rollouts.filter { $0.startNs >= fromNs && $0.startNs <= toNs }
    }

    /// Failures grouped by deployment, version, template and kind over the range, most frequent first.
    public func failureGroups(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [FailureGroup] {
        try snapshot { try failureGroupsInSnapshot(deployment: deployment, fromNs: fromNs, toNs: toNs) }
    }

    func failureGroupsInSnapshot(deployment: String?, fromNs: Int64, toNs: Int64) throws -> [FailureGroup] {
        let hourNs: Int64 = 3_600_000_000_000
        let fromHour = fromNs == Int64.min ? Int64.min : DeploymentTracker.floorDiv(fromNs, hourNs) * hourNs
        let rollouts = try rolloutsInSnapshot(deployment: deployment, fromNs: Int64.min, toNs: Int64.max)
        let streams = try self.streams()
        // First occurrence of each (deployment, template, kind) anywhere in the store: who introduced it.
        var introduced: [String: Int64] = [:]
        let first = try db.prepare("""
        SELECT deployment, template, kind, min(first_ns) FROM failure_groups WHERE ?1 IS NULL OR deployment = ?1 GROUP BY deployment, template, kind
        """)
        if let deployment { first.bind(1, deployment) } else { first.bindNull(1) }
        while try first.step() { introduced["\(first.text(0))\u{0}\(first.int(1))\u{0}\(first.text(2))"] = first.int(3) }
        var last: [String: Int64] = [:]
        let l = try db.prepare("""
        SELECT deployment, version, template, kind, max(last_ns) FROM failure_groups
        WHERE hour >= ?2 AND hour <= ?3 AND last_ns >= ?2 AND first_ns <= ?3 AND (?1 IS NULL OR deployment = ?1) GROUP BY deployment, version, template, kind
        """)
        if let deployment { l.bind(1, deployment) } else { l.bindNull(1) }
        l.bind(2, fromHour); l.bind(3, toNs)
        while try l.step() { last["\(l.text(0))\u{0}\(l.text(1))\u{0}\(l.int(2))\u{0}\(l.text(3))"] = l.int(4) }
        // One min() aggregate: the bare columns (example, stream) come from the group's first row.
        let s = try db.prepare("""
        SELECT g.deployment, g.version, g.template, g.kind, sum(g.events), sum(g.context_full), min(g.first_ns), g.example, g.stream_id,
          coalesce(t.text, '')
        FROM failure_groups g LEFT JOIN templates t ON t.id = g.template
        WHERE g.hour >= ?2 AND g.hour <= ?3 AND g.last_ns >= ?2 AND g.first_ns <= ?3 AND (?1 IS NULL OR g.deployment = ?1)
        GROUP BY g.deployment, g.version, g.template, g.kind ORDER BY sum(g.events) DESC
        """)
        if let deployment { s.bind(1, deployment) } else { s.bindNull(1) }
        s.bind(2, fromHour); s.bind(3, toNs)
        var out: [FailureGroup] = []
        while try s.step() {
            let d = s.text(0), v = s.text(1), template = s.int(2), kind = s.text(3)
            let firstNs = s.int(6)
            let key = "\(d)\u{0}\(v)\u{0}\(template)\u{0}\(kind)"
            let since = introduced["\(d)\u{0}\(template)\u{0}\(kind)"] ?? firstNs
            let live = d.isEmpty ? nil : RolloutTimeline.live(rollouts, deployment: d, at: firstNs)
            let versionRollout = v.isEmpty ? nil : rollouts.last { $0.deployment == d && ($0.hash == v || $0.version == v) }
            out.append(FailureGroup(
                deployment: d, version: versionRollout?.label ?? (v.isEmpty ? live?.label ?? "" : v), template: UInt64(bitPattern: template),
                templateText: s.text(9), kind: kind, events: s.int(4), contextFull: s.int(5), firstNs: firstNs, lastNs: last[key] ?? firstNs,
                introducedBy: d.isEmpty ? "" : RolloutTimeline.live(rollouts, deployment: d, at: since)?.label ?? "",
                introducedNs: since, traced: !d.isEmpty && (versionRollout != nil || live != nil),
                example: s.text(7), stream: streams[s.int(8)] ?? StreamLabels(source: "")))
        }
        return out
    }
}

/// Failures of one deployment, version, template and kind.
public struct FailureGroup: Sendable, Codable {
    public var deployment: String
    /// The version live when the failures happened (tag with its ReplicaSet hash when both are known).
    public var version: String
    public var template: UInt64
    public var templateText: String
    public var kind: String
    public var events: Int64
    /// Failures whose K events before them are all stored.
    public var contextFull: Int64
    public var firstNs: Int64
    public var lastNs: Int64
    /// The version live when this template's failures first appeared in the deployment.
    public var introducedBy: String
    public var introducedNs: Int64
    /// Attributed to a deployment and the rollout live at the time (scoring.md T1).
    public var traced: Bool
    public var example: String
    /// The stream of the first failure (for its context).
    public var stream: StreamLabels
}
