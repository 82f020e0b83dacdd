import Filters
import LogCore

/// Everything a ClickHouse store keeps besides its events, summed over its committed batches, as one batch
/// (what `migrate` copies after them).
extension ClickHouseReader: MigrationSource {
    public func aggregates() throws -> EventBatch {
        var batch = EventBatch()
        func u(_ s: Substring) -> String { Self.unescape(s) }
        func i(_ s: Substring) -> Int64 { Int64(s) ?? 0 }
        for r in try client.rows("""
            SELECT rule, hour, deployment, kind, sum(events), sum(bytes) FROM \(table("noise_counts")) WHERE \(visible)
            GROUP BY rule, hour, deployment, kind
            """) where r.count == 6 {
            let key = FilterAccounting.Key(rule: u(r[0]), hourNs: i(r[1]), deployment: u(r[2]))
            batch.noise.buckets[key, default: FilterAccounting.Counts()].add(kind: u(r[3]), .init(events: Int(i(r[4])), bytes: Int(i(r[5]))))
        }
        for r in try client.rows("""
            SELECT rule, sum(count), min(first_ns), max(last_ns), argMin(example, first_ns) FROM \(table("noise_rules")) WHERE \(visible) GROUP BY rule
            """) where r.count == 5 {
            batch.noise.summaries[u(r[0])] = .init(count: Int(i(r[1])), firstNs: i(r[2]), lastNs: i(r[3]), example: u(r[4]))
        }
        var pods: [String: [String]] = [:]
        for r in try client.rows("SELECT DISTINCT id, day, pod FROM \(table("template_pods")) WHERE \(visible)") where r.count == 3 {
            pods["\(r[0]) \(r[1])", default: []].append(u(r[2]))
        }
        var texts: [UInt64: String] = [:]
        for r in try client.rows("SELECT id, any(text) FROM \(table("templates")) WHERE \(visible) GROUP BY id") where r.count == 2 {
            if let id = UInt64(r[0]) { texts[id] = u(r[1]) }
        }
        for r in try client.rows("""
            SELECT id, day, sum(events), sum(bytes), min(first_ns), max(last_ns), max(max_level), max(failure_context), sum(gaps), sum(gap_sum),
              sum(gap_squares), sum(repeats), groupBitOr(sketch), groupBitOr(traits)
            FROM \(table("template_days")) WHERE \(visible) GROUP BY id, day
            """) where r.count == 14 {
            guard let id = UInt64(r[0]) else { continue }
            var v = TemplateVolume(id: id, text: texts[id] ?? "", day: Int32(i(r[1])), events: i(r[2]), bytes: i(r[3]), firstNs: i(r[4]),
                                   lastNs: i(r[5]), maxLevel: UInt8(r[6]) ?? 0, inFailureContext: r[7] == "1",
                                   stats: TemplateStats(gaps: i(r[8]), gapSum: Double(r[9]) ?? 0, gapSquares: Double(r[10]) ?? 0, repeats: i(r[11]),
                                                        sketch: UInt64(r[12]) ?? 0, traits: UInt8(r[13]) ?? 0))
            v.pods = pods["\(r[0]) \(r[1])"] ?? []
            batch.templates.append(v)
        }
        for r in try client.rows("""
            SELECT deployment, version, template, kind, hour, sum(events), sum(context_full), min(first_ns), max(last_ns), argMin(example, first_ns),
              argMin(source, first_ns), argMin(namespace, first_ns), argMin(pod, first_ns), argMin(container, first_ns), argMin(stream, first_ns),
              argMin(label_deployment, first_ns), argMin(label_version, first_ns)
            FROM \(table("failure_groups")) WHERE \(visible) GROUP BY deployment, version, template, kind, hour
            """) where r.count == 17 {
            let key = FailureKey(deployment: u(r[0]), version: u(r[1]), template: UInt64(r[2]) ?? 0, kind: u(r[3]), hourNs: i(r[4]))
            let labels = StreamLabels(source: u(r[10]), namespace: u(r[11]), pod: u(r[12]), container: u(r[13]), stream: u(r[14]),
                                      deployment: u(r[15]), version: u(r[16]))
            batch.deployments.failures[key] = FailureTally(events: i(r[5]), contextFull: i(r[6]), firstNs: i(r[7]), lastNs: i(r[8]), labels: labels,
                                                           example: u(r[9]))
        }
        for r in try client.rows("""
            SELECT ns, deployment, kind, version, image, revision, status, pod, text FROM \(table("deploy_events")) WHERE \(visible) ORDER BY ns, batch
            """) where r.count == 9 {
            guard let kind = DeploySignal.Kind(rawValue: u(r[2])), let status = DeploySignal.Status(rawValue: u(r[6])) else { continue }
            let signal = DeploySignal(kind: kind, deployment: u(r[1]), version: u(r[3]), image: u(r[4]), revision: u(r[5]), status: status, pod: u(r[7]))
            batch.deployments.deploys.append(DeployRecord(ns: i(r[0]), signal: signal, labels: StreamLabels(source: ""), text: u(r[8])))
        }
        for r in try client.rows("""
            SELECT deployment, hash, min(first_ns), max(last_ns), sum(events) FROM \(table("pod_versions")) WHERE \(visible) GROUP BY deployment, hash
            """) where r.count == 5 {
            batch.deployments.podVersions[PodVersionKey(deployment: u(r[0]), hash: u(r[1]))] = PodVersionTally(events: i(r[4]), firstNs: i(r[2]), lastNs: i(r[3]))
        }
        for r in try client.rows("""
            SELECT deployment, class, day, sum(events), min(first_ns), max(last_ns), argMin(example, first_ns) FROM \(table("findings"))
            WHERE \(visible) GROUP BY deployment, class, day
            """) where r.count == 7 {
            batch.deployments.findings[FindingKey(deployment: u(r[0]), securityClass: u(r[1]), day: Int32(i(r[2])))] =
                FindingTally(events: i(r[3]), firstNs: i(r[4]), lastNs: i(r[5]), example: u(r[6]))
        }
        return batch
    }

    public func forEachStored(_ request: SearchRequest, _ body: (StoredEvent) throws -> Void) throws {
        try forEachMatch(request, body)
    }
}
