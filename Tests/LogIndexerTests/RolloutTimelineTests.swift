import Filters
import LogIndexer
import Testing

@Suite struct RolloutTimelineTests {
    let t0: Int64 = 1_763_632_800_000_000_000  // 2025-11-20T10:00:00Z
    let minute: Int64 = 60_000_000_000

    func event(_ kind: DeploySignal.Kind, _ deployment: String, _ version: String, at m: Int64, status: DeploySignal.Status = .started,
               pod: String = "") -> DeployEventRow {
        DeployEventRow(ns: t0 + m * minute, deployment: deployment, kind: kind, version: version, image: "", revision: "", status: status,
                       pod: pod, text: "\(kind.rawValue) \(version)")
    }

    @Test func podsRightAfterASyncAreLinkedByTime() {
        let r = RolloutTimeline.build(
            pods: [PodVersionRow(deployment: "payments", hash: "7d4b9c8f5d", firstNs: t0 + 2 * minute, lastNs: t0 + 50 * minute)],
            events: [event(.argoSync, "payments", "4f1c2e9", at: 0), event(.argoSync, "payments", "4f1c2e9", at: 1, status: .succeeded)])
        #expect(r.count == 1)
        #expect(r[0].version == "4f1c2e9")
        #expect(r[0].hash == "7d4b9c8f5d")
        #expect(r[0].link == .time)
        #expect(r[0].startNs == t0)
        #expect(r[0].status == "succeeded")
        #expect(r[0].visible)
        #expect(r[0].label == "4f1c2e9 (rs 7d4b9c8f5d)")
    }

    @Test func aLineNamingBothWinsOverTime() {
        let r = RolloutTimeline.build(
            pods: [PodVersionRow(deployment: "payments", hash: "7d4b9c8f5d", firstNs: t0 + 2 * minute, lastNs: t0 + 9 * minute)],
            events: [event(.helm, "payments", "1.8.1", at: 0),
                     event(.imagePull, "payments", "1.8.2", at: 1, pod: "shop/payments-7d4b9c8f5d-x2x4p"),
                     event(.imagePush, "payments", "1.8.2", at: -10, status: .succeeded)])
        let linked = r.first { $0.hash == "7d4b9c8f5d" }!
        #expect(linked.version == "1.8.2")
        #expect(linked.link == .line)
        #expect(linked.sources.contains("image-push"))
        // The helm upgrade of 1.8.1 had no pods of its own here: it stands alone.
        #expect(r.contains { $0.version == "1.8.1" && $0.link == .event })
    }

    @Test func bannerAndHashOnly() {
        let r = RolloutTimeline.build(
            pods: [PodVersionRow(deployment: "api", hash: "6f8b7c9d44", firstNs: t0, lastNs: t0 + minute),
                   PodVersionRow(deployment: "api", hash: "5c9d7f6b8", firstNs: t0 + 30 * minute, lastNs: t0 + 40 * minute)],
            events: [event(.banner, "api", "2.0.0", at: 0, pod: "api-6f8b7c9d44-k9z7q")])
        #expect(r.map(\.link) == [.banner, .none])
        #expect(r.map(\.version) == ["2.0.0", "5c9d7f6b8"])
        #expect(r.map(\.visible) == [true, false])
        #expect(RolloutTimeline.live(r, deployment: "api", at: t0 + 31 * minute)?.hash == "5c9d7f6b8")
        #expect(RolloutTimeline.live(r, deployment: "api", at: t0 - 1) == nil)
    }

    @Test func anOldEventIsNotLinkedToPodsHoursLater() {
        let r = RolloutTimeline.build(
            pods: [PodVersionRow(deployment: "api", hash: "6f8b7c9d44", firstNs: t0 + 300 * minute, lastNs: t0 + 310 * minute)],
            events: [event(.kubectl, "api", "2.1.0", at: 0)])
        #expect(r.count == 2)
        #expect(r.first { $0.hash == "6f8b7c9d44" }?.link == Rollout.Link.none)
    }
}
