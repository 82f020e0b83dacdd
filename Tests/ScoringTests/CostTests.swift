import Testing
@testable import Scoring

@Suite struct CostTests {
    @Test func monthlyAndBaselineCostFollowTheFormula() {
        // 10 GB/day received, 0.2 GB/day stored, retention 30, prices 0.50 and 0.10:
        // monthly = 10·30·0.50 + 0.2·30·0.10 = 150 + 0.6 = 150.6; baseline = 150 + 10·1.0·30·0.10 = 180.
        let f = Scorecard.compute(World.costly(World.transparent()), config: ScoringConfig()).cost.figures
        #expect(close(f.receivedGBPerDay, 10))
        #expect(close(f.storedGBPerDay, 0.2))
        #expect(close(f.monthlyReceivingCost, 150))
        #expect(close(f.monthlyStorageCost, 0.6))
        #expect(close(f.monthlyCost, 150.6))
        #expect(close(f.baselineCost, 180))
        #expect(close(f.monthlySaving, 29.4))
    }

    @Test func budgetUnsetMakesC3NotApplicable() {
        // C1 = 1 − 150.6/180 = 0.163333…; C2' = 1 − 0.7/7 = 0.9; C3 n/a, so 0.5 and 0.3 become 0.625 and 0.375:
        // ratio = 0.625·0.163333… + 0.375·0.9 = 0.1020833… + 0.3375 = 0.4395833…; points = 2.1979166…
        let card = Scorecard.compute(World.costly(World.transparent()), config: ScoringConfig())
        let r = card.cost.ratios
        #expect(close(r["C1"]?.ratio, 1 - 150.6 / 180))
        #expect(close(r["C2'"]?.ratio, 0.9))
        #expect(r["C3"]?.ratio == nil)
        #expect(r["C3"]?.notApplicableReason == "no monthly_budget set")
        #expect(close(r["C1"]?.effectiveWeight, 0.625))
        #expect(close(r["C2'"]?.effectiveWeight, 0.375))
        #expect(close(r.ratio, 0.625 * (1 - 150.6 / 180) + 0.375 * 0.9))
        #expect(close(card.cost.points, 5 * (0.625 * (1 - 150.6 / 180) + 0.3375)))
        #expect(card.notes.contains("C3 (budget fit) is n/a: no monthly_budget set."))
    }

    @Test func budgetFitIsBudgetOverMonthlyCost() {
        // Budget 75.3 against 150.6: C3 = 0.5. ratio = 0.5·0.163333… + 0.3·0.9 + 0.2·0.5 = 0.451666…; points = 2.258333…
        let card = Scorecard.compute(World.costly(World.transparent()), config: World.budget75)
        #expect(close(card.cost.ratios["C3"]?.ratio, 0.5))
        #expect(close(card.cost.ratios.ratio, 0.5 * (1 - 150.6 / 180) + 0.27 + 0.1))
        #expect(close(card.cost.points, 2.2583333333333333))
    }

    @Test func budgetAboveCostCapsAtOne() {
        var c = ScoringConfig()
        c.monthlyBudget = 1_000
        #expect(Scorecard.compute(World.costly(World.transparent()), config: c).cost.ratios["C3"]?.ratio == 1)
    }

    @Test func savingIsClampedAtZeroWhenStorageTakesMoreThanRawText() {
        // 100 GB on disk in 7 days for 70 GB received: monthly > baseline, so C1 = 0, not negative.
        var x = World.costly(World.transparent())
        x.bytesStoredData = 100_000_000_000
        let card = Scorecard.compute(x, config: ScoringConfig())
        #expect(card.cost.ratios["C1"]?.ratio == 0)
        #expect(card.cost.figures.monthlySaving! < 0)
    }

    @Test func nothingReceivedMakesCostNotApplicable() {
        let card = Scorecard.compute(World.transparent(), config: ScoringConfig())
        #expect(card.cost.ratios.notApplicableIDs == ["C1", "C2'", "C3"])
        #expect(card.cost.points == nil)
    }

    @Test func pricesAndRetentionComeFromTheConfig() {
        // Retention 90 days, 0.02 per GB-month, factor 1.5: storage = 0.2·90·0.02 = 0.36; baseline disk 10·1.5·90·0.02 = 27.
        var c = ScoringConfig()
        c.retentionDays = 90
        c.priceStoredPerGBMonth = 0.02
        c.baselineDiskFactor = 1.5
        let f = Scorecard.compute(World.costly(World.transparent()), config: c).cost.figures
        #expect(close(f.monthlyCost, 150.36))
        #expect(close(f.baselineCost, 177))
    }
}
