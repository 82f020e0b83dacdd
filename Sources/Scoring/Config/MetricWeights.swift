/// The weight of each metric in the total (defaults sum to 100; any non-negative weights work, since the
/// total is rescaled to 100 over the metrics that are not n/a).
public struct MetricWeights: Codable, Sendable, Equatable {
    /// Default 30.
    @Rounded<TwoDecimals> public var transparency: Double = 30
    /// Default 30.
    @Rounded<TwoDecimals> public var cost: Double = 30
    /// Default 10.
    @Rounded<TwoDecimals> public var stability: Double = 10
    /// Default 10.
    @Rounded<TwoDecimals> public var security: Double = 10
    /// Default 10.
    @Rounded<TwoDecimals> public var parallelism: Double = 10
    /// Default 10 (`learning_cost`).
    @Rounded<TwoDecimals> public var learningCost: Double = 10

    /// The defaults of scoring.md.
    public init() {}

    /// The weight of one metric.
    public subscript(metric: Metric) -> Double {
        get {
            switch metric {
            case .transparency: transparency
            case .cost: cost
            case .stability: stability
            case .security: security
            case .parallelism: parallelism
            case .learningCost: learningCost
            }
        }
        set {
            switch metric {
            case .transparency: transparency = newValue
            case .cost: cost = newValue
            case .stability: stability = newValue
            case .security: security = newValue
            case .parallelism: parallelism = newValue
            case .learningCost: learningCost = newValue
            }
        }
    }
}

/// The weights of the five transparency ratios T1–T5 inside the transparency ratio R.
public struct TransparencyWeights: Codable, Sendable, Equatable {
    /// T1 traceability.
    @Rounded<FourDecimals> public var traceability: Double = 0.35
    /// T2 context retained.
    @Rounded<FourDecimals> public var context: Double = 0.25
    /// T3 deployment visibility.
    @Rounded<FourDecimals> public var visibility: Double = 0.20
    /// T4 completeness.
    @Rounded<FourDecimals> public var completeness: Double = 0.10
    /// T5 structure.
    @Rounded<FourDecimals> public var structure: Double = 0.10

    /// The defaults of scoring.md.
    public init() {}
}

/// The weights of the three cost ratios C1, C2' and C3 inside the cost ratio.
public struct CostWeights: Codable, Sendable, Equatable {
    /// C1 saving against the baseline.
    @Rounded<FourDecimals> public var saving: Double = 0.5
    /// C2' (1 − residual noise share).
    @Rounded<FourDecimals> public var residualNoise: Double = 0.3
    /// C3 budget fit.
    @Rounded<FourDecimals> public var budgetFit: Double = 0.2

    /// The defaults of scoring.md.
    public init() {}
}
