/// The money figures of the cost metric (scoring.md "Cost"), each printed so that a reader can redo the sums.
public struct CostFigures: Codable, Sendable, Equatable {
    /// Days the range covers (the divisor of the per-day rates).
    @Rounded<FourDecimals> public var days: Double
    /// Bytes received ÷ 10^9 ÷ days.
    @RoundedOrNA<FourDecimals> public var receivedGBPerDay: Double? = nil
    /// Bytes on disk (data + index) ÷ 10^9 ÷ days.
    @RoundedOrNA<FourDecimals> public var storedGBPerDay: Double? = nil
    /// The baseline's disk per day: receivedGBPerDay × baseline disk factor.
    @RoundedOrNA<FourDecimals> public var baselineStoredGBPerDay: Double? = nil
    @Rounded<FourDecimals> public var priceReceivedPerGB: Double
    @Rounded<FourDecimals> public var priceStoredPerGBMonth: Double
    @Rounded<FourDecimals> public var baselineDiskFactor: Double
    public var retentionDays: Int
    /// receivedGBPerDay · 30 · price received.
    @RoundedOrNA<TwoDecimals> public var monthlyReceivingCost: Double? = nil
    /// storedGBPerDay · retention days · price stored.
    @RoundedOrNA<TwoDecimals> public var monthlyStorageCost: Double? = nil
    /// The sum of the two: scoring.md's monthly cost.
    @RoundedOrNA<TwoDecimals> public var monthlyCost: Double? = nil
    /// The same volume kept whole: receiving cost + baselineStoredGBPerDay · retention days · price stored.
    @RoundedOrNA<TwoDecimals> public var baselineCost: Double? = nil
    /// baselineCost − monthlyCost.
    @RoundedOrNA<TwoDecimals> public var monthlySaving: Double? = nil
    @RoundedOrNA<TwoDecimals> public var monthlyBudget: Double? = nil

    init(_ x: ScoreInputs, _ c: ScoringConfig) {
        days = x.days
        priceReceivedPerGB = c.priceReceivedPerGB
        priceStoredPerGBMonth = c.priceStoredPerGBMonth
        baselineDiskFactor = c.baselineDiskFactor
        retentionDays = c.retentionDays
        monthlyBudget = c.monthlyBudget
        guard x.days > 0 else { return }
        let received = Double(x.bytesReceived) / ScoringConfig.bytesPerGB / x.days
        let stored = Double(x.bytesStored) / ScoringConfig.bytesPerGB / x.days
        let receiving = received * ScoringConfig.daysPerMonth * c.priceReceivedPerGB
        let storage = stored * Double(c.retentionDays) * c.priceStoredPerGBMonth
        receivedGBPerDay = received
        storedGBPerDay = stored
        baselineStoredGBPerDay = received * c.baselineDiskFactor
        monthlyReceivingCost = receiving
        monthlyStorageCost = storage
        monthlyCost = receiving + storage
        baselineCost = receiving + received * c.baselineDiskFactor * Double(c.retentionDays) * c.priceStoredPerGBMonth
        monthlySaving = baselineCost! - monthlyCost!
    }
}

/// Cost (scoring.md): 5 · (0.5·C1 + 0.3·C2' + 0.2·C3) with n/a reweighting.
public struct CostScore: Codable, Sendable, Equatable {
    public var figures: CostFigures
    /// C1 saving, C2' (1 − residual noise), C3 budget fit, and the combined ratio.
    public var ratios: WeightedRatio
    @RoundedOrNA<TwoDecimals> public var points: Double? = nil

    init(_ x: ScoreInputs, _ c: ScoringConfig) {
        let f = CostFigures(x, c)
        figures = f
        let noRange = x.days > 0 ? nil : "the range covers no time"
        let budgetNA = c.monthlyBudget == nil ? "no monthly_budget set" : noRange
        ratios = WeightedRatio([
            RatioComponent(id: "C1", name: "saving against keeping everything", formula: .complement,
                           numerator: Quantity(f.monthlyCost ?? 0, .money), denominator: Quantity(f.baselineCost ?? 0, .money),
                           weight: c.costWeights.saving, notApplicable: noRange ?? (x.bytesReceived == 0 ? "nothing received in range" : nil)),
            RatioComponent(id: "C2'", name: "retained bytes outside noisy templates", formula: .complement,
                           numerator: Quantity(x.bytesInFlaggedTemplates, .bytes), denominator: Quantity(x.bytesRetained, .bytes),
                           weight: c.costWeights.residualNoise, notApplicable: x.bytesRetained == 0 ? "nothing retained in range" : nil),
            RatioComponent(id: "C3", name: "budget fit", formula: .cappedQuotient,
                           numerator: Quantity(c.monthlyBudget ?? 0, .money), denominator: Quantity(f.monthlyCost ?? 0, .money),
                           weight: c.costWeights.budgetFit, notApplicable: budgetNA),
        ])
        points = ratios.ratio.map { 5 * $0 }
    }
}
