import Foundation
import Testing
@testable import Scoring

@Suite struct OtherMetricsTests {
    let card = Scorecard.compute(World.eventful(World.costly(World.transparent())), config: World.budget75)

    @Test func stabilityIsFiveTimesExpOfMinusEventsPerPodDay() {
        // 3 + 1 + 2 + 0 + 4 = 10 events over 20 pod-days = 0.5 per pod-day; 5·e^−0.5 = 3.0326532985631656.
        #expect(card.stability.events == 10)
        #expect(card.stability.eventsPerPodDay == 0.5)
        #expect(close(card.stability.points, 5 * exp(-0.5)))
        #expect(close(card.stability.points, 3.0326532985631656))
    }

    @Test func stabilityScaleStretchesTheCurve() {
        var c = ScoringConfig()
        c.stabilityScale = 2
        let s = Scorecard.compute(World.eventful(World.transparent()), config: c).stability
        #expect(close(s.points, 5 * exp(-0.25)))
    }

    @Test func noPodDaysMakesStabilityNotApplicable() {
        let s = Scorecard.compute(World.transparent(), config: ScoringConfig())
        #expect(s.stability.points == nil)
        #expect(s.notes.contains { $0.hasPrefix("Stability is n/a") })
    }

    @Test func securityCountsUnfixedClassesOnly() {
        // Secrets: 3 events, all redacted at ingest (fixed). Injection: 2 unfixed. One class present: 5 − 1 = 4.
        #expect(card.security.classesPresent == 1)
        #expect(card.security.points == 4)
        let secret = card.security.classes.first { $0.kind == .secret }!
        #expect(secret.events == 3 && secret.fixed == 3 && !secret.present)
        #expect(card.notes.contains("Security: all 3 secret event(s) were redacted at ingest, so the class counts as fixed."))
    }

    @Test func securityFloorsAtZeroAndMergesEntriesOfOneClass() {
        var x = World.transparent()
        x.securityFindings = [
            SecurityFinding(kind: .secret, detail: "private key", events: 1),
            SecurityFinding(kind: .secret, detail: "bearer token", events: 4, redactedAtIngest: 4),
            SecurityFinding(kind: .injection, events: 1),
            SecurityFinding(kind: .authFailureBurst, events: 40),
        ]
        let s = Scorecard.compute(x, config: ScoringConfig()).security
        #expect(s.classesPresent == 3)
        #expect(s.points == 2)
        #expect(s.classes.first { $0.kind == .secret }?.events == 5)
        #expect(s.classes.first { $0.kind == .secret }?.fixed == 4)
        #expect(Scorecard.compute(World.transparent(), config: ScoringConfig()).security.points == 5)
    }

    @Test func parallelismIsTheShareOfOverlappingRolloutsThatSucceeded() {
        // 3 of 4 overlapping rollouts succeeded: 5 × 0.75 = 3.75.
        #expect(card.parallelism.successShare == 0.75)
        #expect(card.parallelism.points == 3.75)
        #expect(card.parallelism.peakConcurrent == 2)
        #expect(card.parallelism.medianPipelineSeconds == 312.5)
        #expect(Scorecard.compute(World.transparent(), config: ScoringConfig()).parallelism.points == nil)
    }

    @Test func learningCostIsDeclared() {
        var c = ScoringConfig()
        c.learningCostPoints = 4.5
        #expect(card.learningCost.points == 3)
        #expect(Scorecard.compute(World.transparent(), config: c).learningCost.points == 4.5)
    }
}
