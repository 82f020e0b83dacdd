import Foundation
import LogCore
import Filters

/// Failures and rollouts from a ClickHouse store: its tables summed by the server, then the same timeline and
/// group assembly as the embedded store.
extension ClickHouseReader: DeploymentReader {
    public func rollouts(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [Rollout] {
        var rollouts = try timeline(deployment)
        var failures: [(deployment: String, firstNs: Int64, events: Int64)] = []
        for r in try client.rows("""
            SELECT deployment, version, template, kind, hour, min(first_ns), sum(events) FROM \(table("failure_groups"))
            WHERE \(failureRows(deployment: deployment, fromNs: .min, toNs: .max))
            GROUP BY deployment, version, template, kind, hour
            """) where r.count == 7 {
            failures.append((Self.unescape(r[0]), Int64(r[5]) ?? 0, Int64(r[6]) ?? 0))
        }
        RolloutTimeline.addFailures(failures, to: &rollouts)
        return rollouts.filter { $0.startNs >= fromNs && $0.startNs <= toNs }
    }

    func timeline(_ deployment: String?) throws -> [Rollout] {
        let scope = deployment.map { " AND deployment = \(ClickHouseSQL.quote($0))" } ?? ""
        var pods: [PodVersionRow] = []
        for r in try client.rows("""
            SELECT deployment, hash, min(first_ns), max(last_ns) FROM \(table("pod_versions")) WHERE \(visible)\(scope) GROUP BY deployment, hash
            """) where r.count == 4 {
            pods.append(PodVersionRow(deployment: Self.unescape(r[0]), hash: Self.unescape(r[1]), firstNs: Int64(r[2]) ?? 0, lastNs: Int64(r[3]) ?? 0))
        }
        var events: [DeployEventRow] = []
        for r in try client.rows("""
            SELECT ns, deployment, kind, version, image, revision, status, pod, text FROM \(table("deploy_events")) WHERE \(visible)\(scope)
            ORDER BY ns, batch
            """) where r.count == 9 {
            guard let kind = DeploySignal.Kind(rawValue: String(r[2])), let status = DeploySignal.Status(rawValue: String(r[6])) else { continue }
            events.append(DeployEventRow(ns: Int64(r[0]) ?? 0, deployment: Self.unescape(r[1]), kind: kind, version: Self.unescape(r[3]),
                                         image: Self.unescape(r[4]), revision: Self.unescape(r[5]), status: status, pod: Self.unescape(r[7]),
                                         text: Self.unescape(r[8])))
        }
        return RolloutTimeline.build(pods: pods, events: events)
    }

    public func failureGroups(deployment: String?, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max, limit: Int? = nil) throws -> [FailureGroup] {
        let rollouts = try timeline(deployment)
        // Per group: totals in the range, the first failure's example and stream (argMin), and when the template
        // first failed in the deployment anywhere in the store.
        let sql = """
            SELECT deployment, version, template, kind, sum(events), sum(context_full), min(first_ns), max(last_ns),
              argMin(example, first_ns), argMin(source, first_ns), argMin(namespace, first_ns), argMin(pod, first_ns),
              argMin(container, first_ns), argMin(stream, first_ns), argMin(label_deployment, first_ns),
              argMin(label_version, first_ns)
            FROM \(table("failure_groups")) WHERE \(failureRows(deployment: deployment, fromNs: fromNs, toNs: toNs))
            GROUP BY deployment, version, template, kind ORDER BY sum(events) DESC, min(first_ns)
            \(limit.map { "LIMIT \(max(0, $0))" } ?? "")
            """
        let rows = try client.rows(sql).filter { $0.count == 16 }
        guard !rows.isEmpty else { return [] }
        var since: [String: Int64] = [:]
        for r in try client.rows("SELECT deployment, template, kind, min(first_ns) FROM \(table("failure_groups")) WHERE \(visible) GROUP BY deployment, template, kind")
            where r.count == 4 {
            since[Self.unescape(r[0]) + "\u{0}" + r[1] + "\u{0}" + r[2]] = Int64(r[3])
        }
        let ids = Set(rows.compactMap { UInt64($0[2]) })
        var texts: [UInt64: String] = [:]
        if !ids.isEmpty {
            for r in try client.rows("SELECT id, any(text) FROM \(table("templates")) WHERE id IN (\(ids.map(String.init).joined(separator: ","))) GROUP BY id")
                where r.count == 2 {
                if let id = UInt64(r[0]) { texts[id] = Self.unescape(r[1]) }
            }
        }
        return rows.map { r in
            let d = Self.unescape(r[0]), template = UInt64(r[2]) ?? 0, first = Int64(r[6]) ?? 0
            let stream = StreamLabels(source: Self.unescape(r[9]), namespace: Self.unescape(r[10]), pod: Self.unescape(r[11]),
                                      container: Self.unescape(r[12]), stream: Self.unescape(r[13]), deployment: Self.unescape(r[14]),
                                      version: Self.unescape(r[15]))
            return FailureGroup(deployment: d, version: Self.unescape(r[1]), template: template, templateText: texts[template] ?? "",
                                kind: String(r[3]), events: Int64(r[4]) ?? 0, contextFull: Int64(r[5]) ?? 0, firstNs: first,
                                lastNs: Int64(r[7]) ?? 0, since: since[d + "\u{0}" + r[2] + "\u{0}" + r[3]] ?? first,
                                example: Self.unescape(r[8]), stream: stream, rollouts: rollouts)
        }
    }

    public func failureTotals(fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max) throws -> [String: (events: Int64, groups: Int)] {
        var out: [String: (events: Int64, groups: Int)] = [:]
        for r in try client.rows("""
            SELECT deployment, sum(events), uniqExact(version, template, kind) FROM \(table("failure_groups"))
            WHERE \(failureRows(deployment: nil, fromNs: fromNs, toNs: toNs)) GROUP BY deployment
            """) where r.count == 3 {
            out[Self.unescape(r[0])] = (Int64(r[1]) ?? 0, Int(r[2]) ?? 0)
        }
        return out
    }

    /// Committed failure rows of the hours that overlap the range, of one deployment when given (open bounds are
    /// left out: Int64.min is no SQL literal).
    func failureRows(deployment: String?, fromNs: Int64, toNs: Int64) -> String {
        var s = visible
        if fromNs > Int64.min {
            let hourNs: Int64 = 3_600_000_000_000
            let fromHour = Timestamp.floorDiv(fromNs, hourNs) * hourNs
            s += " AND hour >= \(fromHour) AND last_ns >= \(fromHour)"
        }
        if toNs < Int64.max { s += " AND hour <= \(toNs) AND first_ns <= \(toNs)" }
        if let deployment { s += " AND deployment = \(ClickHouseSQL.quote(deployment))" }
        return s
    }
}
