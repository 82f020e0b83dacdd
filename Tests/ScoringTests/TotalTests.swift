import Foundation
import Testing
@testable import Scoring

@Suite struct TotalTests {
    @Test func totalIsTheWeightedSumOfPointsOverFive() {
        // Transparency 5, cost 2.258333…, stability 5e^−0.5, security 4, parallelism 3.75, learning cost 3:
        // 30·5/5 + 30·2.258333…/5 + 10·3.0326533/5 + 10·4/5 + 10·3.75/5 + 10·3/5
        // = 30 + 13.55 + 6.0653066 + 8 + 7.5 + 6 = 71.1153066
        let card = Scorecard.compute(World.eventful(World.costly(World.transparent())), config: World.budget75)
        #expect(card.notApplicable.isEmpty)
        #expect(close(card[.cost].contribution, 13.55))
        #expect(close(card.total, 30 + 13.55 + 2 * 5 * exp(-0.5) + 8 + 7.5 + 6))
        #expect(card.metrics.map(\.metric) == Metric.allCases)
        #expect(card.metrics.allSatisfy { $0.effectiveWeight == $0.weight })
    }

    @Test func notApplicableMetricsAreLeftOutAndTheRestRescaledTo100() {
        // Stability (no pod-days) and parallelism (no overlap) n/a: the other weights sum to 80, so each is × 100/80.
        // Total = 1.25 · (30·5/5 + 30·2.258333…/5 + 10·4/5 + 10·3/5) = 1.25 · 57.55 = 71.9375.
        var x = World.eventful(World.costly(World.transparent()))
        x.podDays = 0
        x.parallelism = RolloutOverlap()
        let card = Scorecard.compute(x, config: World.budget75)
        #expect(card.notApplicable == [.stability, .parallelism])
        #expect(close(card[.transparency].effectiveWeight, 37.5))
        #expect(close(card[.learningCost].effectiveWeight, 12.5))
        #expect(card[.stability].effectiveWeight == nil)
        #expect(close(card.total, 71.9375))
        #expect(card.notes.last == "Total over 4 of 6 metrics: Stability, Parallelism n/a; the other weights (sum 80.00) are rescaled to 100.")
    }

    @Test func weightsNeedNotSumTo100() {
        // Doubling every weight changes nothing.
        var c = World.budget75
        for m in Metric.allCases { c.weights[m] *= 2 }
        let x = World.eventful(World.costly(World.transparent()))
        #expect(close(Scorecard.compute(x, config: c).total, Scorecard.compute(x, config: World.budget75).total!))
    }

    @Test func noTotalWhenEveryWeightedMetricIsNotApplicable() {
        var c = ScoringConfig()
        c.weights.learningCost = 0
        let card = Scorecard.compute(ScoreInputs(scope: "idle", fromNs: 0, toNs: 7 * day), config: c)
        #expect(card.total == nil)
        #expect(card.notes.last == "No total: every metric with a positive weight is n/a.")
    }

    @Test func perfectWorldScores100() {
        var x = World.transparent()
        x.podDays = 10
        x.parallelism = RolloutOverlap(overlapping: 2, overlappingSucceeded: 2)
        var c = ScoringConfig()
        c.learningCostPoints = 5
        c.weights.cost = 0
        #expect(close(Scorecard.compute(x, config: c).total, 100))
    }

    @Test func scorecardRoundTripsThroughJSONAtPrintedPrecision() throws {
        let card = Scorecard.compute(World.eventful(World.costly(World.transparent())), config: World.budget75)
        let json = JSONRenderer.scorecard(card)
        let back = try JSONDecoder().decode(Scorecard.self, from: Data(json.utf8))
        #expect(back.total == 71.1)
        #expect(back.cost.points == 2.26)
        #expect(back.cost.ratios["C1"]?.ratio == 0.1633)
        #expect(back.inputs.bytesReceived == card.inputs.bytesReceived)
        #expect(JSONRenderer.scorecard(back) == json)
    }
}
