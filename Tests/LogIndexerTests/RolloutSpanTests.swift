@testable import LogIndexer
import Testing

@Suite struct RolloutSpanTests {
    let minute: Int64 = 60_000_000_000

    func rollout(_ deployment: String, _ hash: String, start: Int64, end: Int64? = nil, status: String = "succeeded") -> Rollout {
        Rollout(deployment: deployment, version: hash, hash: hash, image: "", revision: "", startNs: start * minute,
                endNs: (end ?? start) * minute, status: status, link: .time, sources: [], visible: true, example: "")
    }

    @Test func spansRunUntilTheOldPodsDrainAndStopBeforeTheNextRollout() {
        let rollouts = [rollout("a", "h1", start: 0), rollout("a", "h2", start: 100, end: 105), rollout("a", "h3", start: 200)]
        // h1 is only a hash (an instant); h1's pods log until minute 250, past h3's start, so h2's span stops before
        // h3; h2's pods log until minute 500, so h3's span runs until then.
        let spans = RolloutSpan.spans(rollouts, podLastNs: ["a": ["h1": 250 * minute, "h2": 500 * minute]], introduced: [:], windowNs: 30 * minute)
        #expect(spans.map { $0.endNs / minute } == [0, 199, 500])
        #expect(spans.map(\.succeeded) == [true, true, true])
    }

    @Test func overlapCountsRolloutsThatRanTogetherAndHowTheyWent() {
        let rollouts = [
            rollout("a", "a1", start: 0, end: 20),
            rollout("b", "b1", start: 10, end: 15),
            rollout("c", "c1", start: 12, end: 40, status: "failed"),
            rollout("d", "d1", start: 100, end: 130),
        ]
        // A failure new to b first occurs 5 minutes after b's start: b failed, within the 30-minute window.
        let spans = RolloutSpan.spans(rollouts, podLastNs: [:], introduced: ["b": [15 * minute], "d": [200 * minute]], windowNs: 30 * minute)
        #expect(spans.map(\.succeeded) == [true, false, false, true])
        let all = RolloutSpan.overlap(spans, among: spans)
        #expect(all.overlapping == 3)
        #expect(all.overlappingSucceeded == 1)
        #expect(all.peakConcurrent == 3)
        // Durations 20, 5, 28, 30 minutes: median (20 + 28) / 2 = 24 minutes.
        #expect(all.medianPipelineSeconds == 1440.0)
        let d = RolloutSpan.overlap(spans.filter { $0.rollout.deployment == "d" }, among: spans)
        #expect(d.overlapping == 0)
        #expect(d.peakConcurrent == 1)
    }
}
