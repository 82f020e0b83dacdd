/// A rollout with the time it was in progress and whether it went well: the figures of the parallelism score.
///
/// The span starts at the rollout's start and ends at the later of its deployment action's end (`endNs`: sync
/// result, job end) and the last line of the previous version's pods (the old ReplicaSet draining), but before the
/// next rollout of the same deployment starts. A rollout succeeded when its status is not `failed` and no failure of
/// a (template, kind) new to its deployment first occurred within the window after its start.
public struct RolloutSpan: Sendable, Codable, Equatable {
    public var rollout: Rollout
    public var startNs: Int64
    /// Inclusive; equal to the start for a rollout known only from one instant.
    public var endNs: Int64
    public var succeeded: Bool

    /// Whether two spans intersect.
    public func overlaps(_ o: RolloutSpan) -> Bool { startNs <= o.endNs && o.startNs <= endNs }

    /// Spans for `rollouts` (the whole timeline, so that neighbours are known). `podLastNs` is the last line of each
    /// (deployment, ReplicaSet hash); `introduced` the first occurrence of each of a deployment's failure
    /// (template, kind) pairs.
    public static func spans(_ rollouts: [Rollout], podLastNs: [String: [String: Int64]], introduced: [String: [Int64]],
                             windowNs: Int64) -> [RolloutSpan] {
        let byDeployment = Dictionary(grouping: rollouts.indices, by: { rollouts[$0].deployment })
        var out: [RolloutSpan] = []
        for (deployment, indices) in byDeployment {
            let list = indices.map { rollouts[$0] }.sorted { $0.startNs < $1.startNs }
            let firsts = (introduced[deployment] ?? []).sorted()
            for (k, r) in list.enumerated() {
                var end = max(r.endNs, r.startNs)
                if let previous = list[..<k].last(where: { !$0.hash.isEmpty }), let drained = podLastNs[deployment]?[previous.hash] {
                    end = max(end, drained)
                }
                if let next = list[(k + 1)...].first(where: { $0.startNs > r.startNs }) { end = min(end, next.startNs - 1) }
                let windowEnd = r.startNs > Int64.max - windowNs ? Int64.max : r.startNs + windowNs
                let newFailure = firsts.contains { $0 >= r.startNs && $0 <= windowEnd }
                out.append(RolloutSpan(rollout: r, startNs: r.startNs, endNs: max(end, r.startNs), succeeded: r.status != "failed" && !newFailure))
            }
        }
        return out.sorted { ($0.startNs, $0.rollout.deployment) < ($1.startNs, $1.rollout.deployment) }
    }

    /// Overlap figures of `scope` (spans of one deployment, or all, in range) against `all` spans.
    public static func overlap(_ scope: [RolloutSpan], among all: [RolloutSpan]) -> OverlapCounts {
        var c = OverlapCounts()
        for s in scope {
            let others = all.filter { $0 != s && $0.overlaps(s) }
            if !others.isEmpty {
                c.overlapping += 1
                if s.succeeded { c.overlappingSucceeded += 1 }
            }
            // The busiest instant of the span is one of the starts inside it.
            for t in [s.startNs] + others.map(\.startNs) where t >= s.startNs && t <= s.endNs {
                c.peakConcurrent = max(c.peakConcurrent, Int64(all.filter { $0.startNs <= t && t <= $0.endNs }.count))
            }
        }
        let durations = scope.filter { $0.rollout.endNs > $0.rollout.startNs }
            .map { Double($0.rollout.endNs - $0.rollout.startNs) / 1e9 }.sorted()
        if !durations.isEmpty {
            let m = durations.count / 2
            c.medianPipelineSeconds = durations.count % 2 == 1 ? durations[m] : (durations[m - 1] + durations[m]) / 2
        }
        return c
    }
}
