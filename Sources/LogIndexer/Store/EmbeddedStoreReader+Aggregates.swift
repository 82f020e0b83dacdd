import Filters
import LogCore

/// Everything the embedded store keeps besides its events, as one batch (what `migrate` copies after them).
extension EmbeddedStoreReader: MigrationSource {
    public func aggregates() throws -> EventBatch {
        try snapshot {
            var batch = EventBatch()
            let streams = try self.streams()
            let n = try db.prepare("SELECT rule, hour, deployment, kind, events, bytes FROM noise_counts")
            while try n.step() {
                let key = FilterAccounting.Key(rule: n.text(0), hourNs: n.int(1), deployment: n.text(2))
                batch.noise.buckets[key, default: FilterAccounting.Counts()].add(kind: n.text(3), .init(events: Int(n.int(4)), bytes: Int(n.int(5))))
            }
            let r = try db.prepare("SELECT rule, count, first_ns, last_ns, example FROM noise_rules")
            while try r.step() {
                batch.noise.summaries[r.text(0)] = .init(count: Int(r.int(1)), firstNs: r.int(2), lastNs: r.int(3), example: r.text(4))
            }
            var pods: [String: [String]] = [:]
            let tp = try db.prepare("SELECT id, day, pod FROM template_pods")
            while try tp.step() { pods["\(UInt64(bitPattern: tp.int(0))) \(tp.int(1))", default: []].append(tp.text(2)) }
            let t = try db.prepare("""
            SELECT t.id, t.text, d.day, d.events, d.bytes, t.first_ns, t.last_ns, t.max_level, t.failure_context,
                   d.gaps, d.gap_sum, d.gap_squares, d.repeats, d.sketch, d.traits
            FROM template_days d JOIN templates t ON t.id = d.id
            """)
            while try t.step() {
                let id = UInt64(bitPattern: t.int(0))
                var v = TemplateVolume(id: id, text: t.text(1), day: Int32(t.int(2)), events: t.int(3), bytes: t.int(4), firstNs: t.int(5),
                                       lastNs: t.int(6), maxLevel: UInt8(clamping: t.int(7)), inFailureContext: t.int(8) != 0,
                                       stats: TemplateStats(gaps: t.int(9), gapSum: t.double(10), gapSquares: t.double(11), repeats: t.int(12),
                                                            sketch: UInt64(bitPattern: t.int(13)), traits: UInt8(truncatingIfNeeded: t.int(14))))
                v.pods = pods["\(id) \(t.int(2))"] ?? []
                batch.templates.append(v)
            }
            let f = try db.prepare("""
            SELECT deployment, version, template, kind, hour, events, context_full, first_ns, last_ns, stream_id, example FROM failure_groups
            """)
            while try f.step() {
                let key = FailureKey(deployment: f.text(0), version: f.text(1), template: UInt64(bitPattern: f.int(2)), kind: f.text(3), hourNs: f.int(4))
                batch.deployments.failures[key] = FailureTally(events: f.int(5), contextFull: f.int(6), firstNs: f.int(7), lastNs: f.int(8),
                                                               labels: streams[f.int(9)] ?? StreamLabels(source: ""), example: f.text(10))
            }
            let d = try db.prepare("SELECT ns, deployment, kind, version, image, revision, status, pod, stream_id, text FROM deploy_events ORDER BY id")
            while try d.step() {
                guard let kind = DeploySignal.Kind(rawValue: d.text(2)), let status = DeploySignal.Status(rawValue: d.text(6)) else { continue }
                let signal = DeploySignal(kind: kind, deployment: d.text(1), version: d.text(3), image: d.text(4), revision: d.text(5), status: status,
                                          pod: d.text(7))
                batch.deployments.deploys.append(DeployRecord(ns: d.int(0), signal: signal, labels: streams[d.int(8)] ?? StreamLabels(source: ""),
                                                              text: d.text(9)))
            }
            let p = try db.prepare("SELECT deployment, hash, first_ns, last_ns, events FROM pod_versions")
            while try p.step() {
                batch.deployments.podVersions[PodVersionKey(deployment: p.text(0), hash: p.text(1))] =
                    PodVersionTally(events: p.int(4), firstNs: p.int(2), lastNs: p.int(3))
            }
            let s = try db.prepare("SELECT deployment, class, day, events, first_ns, last_ns, example FROM findings")
            while try s.step() {
                batch.deployments.findings[FindingKey(deployment: s.text(0), securityClass: s.text(1), day: Int32(s.int(2)))] =
                    FindingTally(events: s.int(3), firstNs: s.int(4), lastNs: s.int(5), example: s.text(6))
            }
            return batch
        }
    }

    public func forEachStored(_ request: SearchRequest, _ body: (StoredEvent) throws -> Void) throws {
        try forEachMatch(request, body)
    }
}
