import Testing
@testable import Scoring

@Suite struct TransparencyTests {
    @Test func fullContextAndVisibleRolloutsScoreFivePoints() {
        // T1 = 8/8, T2 = 8/8, T3 = 2/2, T4 = T5 = 1000/1000: R = 0.35 + 0.25 + 0.20 + 0.10 + 0.10 = 1, points = 5.
        let t = Scorecard.compute(World.transparent(), config: ScoringConfig()).transparency
        #expect(t.ratios.ratio == 1)
        #expect(t.points == 5)
        #expect(t.ratios.components.map(\.id) == ["T1", "T2", "T3", "T4", "T5"])
        #expect(t.ratios.components.allSatisfy { $0.effectiveWeight == $0.weight })
    }

    @Test func contextDroppedForHalfTheFailuresLosesExactlyT2sShare() {
        // Noise rules dropped the context of 4 of the 8 failures: T2 = 4/8 = 0.5.
        // R = 0.35·1 + 0.25·0.5 + 0.20·1 + 0.10·1 + 0.10·1 = 0.875; points = 5·0.875 = 4.375,
        // i.e. 5 − 0.25·5·0.5 = 5 − 0.625.
        var x = World.transparent()
        x.failuresWithFullContext = 4
        let t = Scorecard.compute(x, config: ScoringConfig()).transparency
        #expect(t.ratios["T2"]?.ratio == 0.5)
        #expect(close(t.ratios.ratio, 0.875))
        #expect(close(t.points, 4.375))
        #expect(close(t.points.map { 5 - $0 }, 0.25 * 5 * 0.5))
        #expect(close(t.ratios["T2"]?.contribution, 0.125))
    }

    @Test func noFailuresMakesT1AndT2NotApplicableAndSpreadsTheirWeight() {
        // No failures: T1, T2 n/a. Left: T3 0.20, T4 0.10, T5 0.10 (sum 0.40) → effective 0.5, 0.25, 0.25.
        // T3 = 1/2 = 0.5, T4 = 1, T5 = 500/1000 = 0.5: R = 0.5·0.5 + 0.25·1 + 0.25·0.5 = 0.625; points = 3.125.
        var x = World.transparent()
        x.failureEvents = 0
        x.failuresTraced = 0
        x.failuresWithFullContext = 0
        x.rolloutsWithVisibleStart = 1
        x.eventsStructured = 500
        let card = Scorecard.compute(x, config: ScoringConfig())
        let r = card.transparency.ratios
        #expect(r.notApplicableIDs == ["T1", "T2"])
        #expect(r["T1"]?.effectiveWeight == nil && r["T1"]?.contribution == nil)
        #expect(close(r["T3"]?.effectiveWeight, 0.5))
        #expect(close(r["T4"]?.effectiveWeight, 0.25))
        #expect(close(r["T5"]?.effectiveWeight, 0.25))
        #expect(close(r.ratio, 0.625))
        #expect(close(card.transparency.points, 3.125))
        #expect(card.notes.contains("T1 (traceability) is n/a: no failure events in range."))
        #expect(card.notes.contains { $0.hasPrefix("Transparency: the weight of T1, T2 (0.6000) is spread over T3, T4, T5") })
    }

    @Test func traceabilityCountsOnlyFailuresTiedToTheLiveRollout() {
        // 6 of 8 failures traced: T1 = 0.75; R = 0.35·0.75 + 0.65 = 0.9125; points = 4.5625.
        var x = World.transparent()
        x.failuresTraced = 6
        let t = Scorecard.compute(x, config: ScoringConfig()).transparency
        #expect(close(t.ratios["T1"]?.ratio, 0.75))
        #expect(close(t.points, 4.5625))
    }

    @Test func nothingStoredMakesTransparencyNotApplicable() {
        let x = ScoreInputs(scope: "idle", fromNs: weekStart, toNs: weekStart + 7 * day)
        let card = Scorecard.compute(x, config: ScoringConfig())
        #expect(card.transparency.points == nil)
        #expect(card.transparency.ratios.ratio == nil)
        #expect(card.notes.contains("Transparency is n/a: none of its ratios could be measured."))
    }

    @Test func configuredWeightsReplaceTheDefaults() {
        // Only T2 counts: R = T2 = 0.5 → 2.5 points.
        var x = World.transparent()
        x.failuresWithFullContext = 4
        var c = ScoringConfig()
        c.transparencyWeights.traceability = 0
        c.transparencyWeights.context = 1
        c.transparencyWeights.visibility = 0
        c.transparencyWeights.completeness = 0
        c.transparencyWeights.structure = 0
        #expect(close(Scorecard.compute(x, config: c).transparency.points, 2.5))
    }
}
