public import LogCore
import Filters

/// Failures by deployment and the rollout timeline, read from the deployment tables.
extension EmbeddedStoreReader {
    /// The rollout timeline of one deployment (nil: all), rollouts that started in the range, each with the
    /// failures that followed it. Linking looks at the whole store so that a range boundary does not cut a link.
    public func rollouts(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [Rollout] {
        try snapshot { try rolloutsInSnapshot(deployment: deployment, fromNs: fromNs, toNs: toNs, countFailures: true) }
    }

    func rolloutsInSnapshot(deployment: String?, fromNs: Int64, toNs: Int64, countFailures: Bool) throws -> [Rollout] {
        var pods: [PodVersionRow] = []
        let p = try db.prepare("SELECT deployment, hash, first_ns, last_ns FROM pod_versions" + (deployment == nil ? "" : " WHERE deployment = ?1"))
        if let deployment { p.bind(1, deployment) }
        while try p.step() { pods.append(PodVersionRow(deployment: p.text(0), hash: p.text(1), firstNs: p.int(2), lastNs: p.int(3))) }
        var events: [DeployEventRow] = []
        let e = try db.prepare("SELECT ns, deployment, kind, version, image, revision, status, pod, text FROM deploy_events"
                               + (deployment == nil ? "" : " WHERE deployment = ?1") + " ORDER BY ns")
        if let deployment { e.bind(1, deployment) }
        while try e.step() {
            guard let kind = DeploySignal.Kind(rawValue: e.text(2)), let status = DeploySignal.Status(rawValue: e.text(6)) else { continue }
            events.append(DeployEventRow(ns: e.int(0), deployment: e.text(1), kind: kind, version: e.text(3), image: e.text(4),
                                         revision: e.text(5), status: status, pod: e.text(7), text: e.text(8)))
        }
        var rollouts = RolloutTimeline.build(pods: pods, events: events)
        guard countFailures else { return rollouts.filter { $0.startNs >= fromNs && $0.startNs <= toNs } }
        // Failures after each rollout, until the next one of the same deployment.
        let f = try db.prepare("SELECT deployment, first_ns, events FROM failure_groups" + (deployment == nil ? "" : " WHERE deployment = ?1"))
        if let deployment { f.bind(1, deployment) }
        var failures: [(deployment: String, firstNs: Int64, events: Int64)] = []
        while try f.step() { failures.append((f.text(0), f.int(1), f.int(2))) }
        RolloutTimeline.addFailures(failures, to: &rollouts)
        return rollouts.filter { $0.startNs >= fromNs && $0.startNs <= toNs }
    }

    /// Failures grouped by deployment, version, template and kind over the range, most frequent first;
    /// the first `limit` groups (nil: all).
    public func failureGroups(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max, limit: Int? = nil) throws -> [FailureGroup] {
        try snapshot { try failureGroupsInSnapshot(deployment: deployment, fromNs: fromNs, toNs: toNs, limit: limit) }
    }

    func failureGroupsInSnapshot(deployment: String?, fromNs: Int64, toNs: Int64, limit: Int? = nil) throws -> [FailureGroup] {
        let hourNs: Int64 = 3_600_000_000_000
        let fromHour = fromNs == Int64.min ? Int64.min : Timestamp.floorDiv(fromNs, hourNs) * hourNs
        let rollouts = try rolloutsInSnapshot(deployment: deployment, fromNs: Int64.min, toNs: Int64.max, countFailures: false)
        let streams = try self.streams()
        let scope = deployment == nil ? "" : " AND g.deployment = ?4"
        let s = try db.prepare("""
        SELECT g.deployment, g.version, g.template, g.kind, sum(g.events), sum(g.context_full), min(g.first_ns), max(g.last_ns),
          coalesce(t.text, '')
        FROM failure_groups g LEFT JOIN templates t ON t.id = g.template
        WHERE g.hour >= ?1 AND g.hour <= ?2 AND g.last_ns >= ?1 AND g.first_ns <= ?2\(scope)
        GROUP BY g.deployment, g.version, g.template, g.kind ORDER BY sum(g.events) DESC, min(g.first_ns) LIMIT ?3
        """)
        s.bind(1, fromHour); s.bind(2, toNs); s.bind(3, Int64(limit ?? -1))
        if let deployment { s.bind(4, deployment) }
        // The group's first failure in the range: its example and stream.
        let example = try db.prepare("""
        SELECT example, stream_id FROM failure_groups WHERE deployment = ? AND version = ? AND template = ? AND kind = ?
          AND hour >= ? AND hour <= ? AND last_ns >= ? AND first_ns <= ? ORDER BY first_ns LIMIT 1
        """)
        // The first failure of the template in the deployment anywhere in the store: who introduced it.
        let first = try db.prepare("SELECT min(first_ns) FROM failure_groups WHERE deployment = ? AND template = ? AND kind = ?")
        var rows: [(d: String, v: String, template: Int64, kind: String, events: Int64, full: Int64, firstNs: Int64, lastNs: Int64, text: String)] = []
        while try s.step() {
            rows.append((s.text(0), s.text(1), s.int(2), s.text(3), s.int(4), s.int(5), s.int(6), s.int(7), s.text(8)))
        }
        s.reset()
        var out: [FailureGroup] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            example.reset()
            example.bind(1, r.d); example.bind(2, r.v); example.bind(3, r.template); example.bind(4, r.kind)
            example.bind(5, fromHour); example.bind(6, toNs); example.bind(7, fromHour); example.bind(8, toNs)
            var text = "", sid: Int64 = -1
            if try example.step() { text = example.text(0); sid = example.int(1) }
            example.reset()
            first.reset()
            first.bind(1, r.d); first.bind(2, r.template); first.bind(3, r.kind)
            let since = try first.step() && !first.isNull(0) ? first.int(0) : r.firstNs
            first.reset()
            out.append(FailureGroup(deployment: r.d, version: r.v, template: UInt64(bitPattern: r.template), templateText: r.text, kind: r.kind,
                                    events: r.events, contextFull: r.full, firstNs: r.firstNs, lastNs: r.lastNs, since: since, example: text,
                                    stream: streams[sid] ?? StreamLabels(source: ""), rollouts: rollouts))
        }
        return out
    }

    /// Failure events and groups per deployment over the range (for totals next to a limited list).
    public func failureTotals(fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [String: (events: Int64, groups: Int)] {
        try snapshot {
            let hourNs: Int64 = 3_600_000_000_000
            let fromHour = fromNs == Int64.min ? Int64.min : Timestamp.floorDiv(fromNs, hourNs) * hourNs
            let s = try db.prepare("""
            SELECT deployment, sum(events), count(DISTINCT version || char(0) || template || char(0) || kind) FROM failure_groups
            WHERE hour >= ?1 AND hour <= ?2 AND last_ns >= ?1 AND first_ns <= ?2 GROUP BY deployment
            """)
            s.bind(1, fromHour); s.bind(2, toNs)
            var out: [String: (Int64, Int)] = [:]
            while try s.step() { out[s.text(0)] = (s.int(1), Int(s.int(2))) }
            return out
        }
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

extension FailureGroup {
    /// A group as a store sums it, tied to the rollouts: the version live at its first failure (or the rollout its
    /// version names), the one live when the template first failed in the deployment (`since`), and whether it is
    /// traced (T1).
    init(deployment d: String, version v: String, template: UInt64, templateText: String, kind: String, events: Int64, contextFull: Int64,
         firstNs: Int64, lastNs: Int64, since: Int64, example: String, stream: StreamLabels, rollouts: [Rollout]) {
        let live = d.isEmpty ? nil : RolloutTimeline.live(rollouts, deployment: d, at: firstNs)
        let versionRollout = v.isEmpty ? nil : rollouts.last { $0.deployment == d && ($0.hash == v || $0.version == v) }
        self.init(deployment: d, version: versionRollout?.label ?? (v.isEmpty ? live?.label ?? "" : v), template: template, templateText: templateText,
                  kind: kind, events: events, contextFull: contextFull, firstNs: firstNs, lastNs: lastNs,
                  introducedBy: d.isEmpty ? "" : RolloutTimeline.live(rollouts, deployment: d, at: since)?.label ?? "",
                  introducedNs: since, traced: !d.isEmpty && (versionRollout != nil || live != nil), example: example, stream: stream)
    }
}

/// Failures and rollouts, as `failures`, `deployments` and the server read them from either store.
public protocol DeploymentReader: AnyObject {
    func rollouts(deployment: String?, fromNs: Int64, toNs: Int64) throws -> [Rollout]
    func failureGroups(deployment: String?, fromNs: Int64, toNs: Int64, limit: Int?) throws -> [FailureGroup]
    func failureTotals(fromNs: Int64, toNs: Int64) throws -> [String: (events: Int64, groups: Int)]
}

extension EmbeddedStoreReader: DeploymentReader {}
