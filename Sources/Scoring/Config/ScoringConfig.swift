/// The constants of scoring.md, with its defaults; read from the `scoring:` mapping of the config file
/// (the same YAML file as the noise rules) by ``load(yaml:source:)``.
public struct ScoringConfig: Codable, Sendable, Equatable {
    /// Weights of the six metrics in the total (`weights:`).
    public var weights = MetricWeights()
    /// Weights of T1–T5 in the transparency ratio (`transparency_weights:`).
    public var transparencyWeights = TransparencyWeights()
    /// Weights of C1, C2', C3 in the cost ratio (`cost_weights:`).
    public var costWeights = CostWeights()
    /// Price per GB (10^9 bytes) received (`price_received_per_gb`).
    @Rounded<FourDecimals> public var priceReceivedPerGB: Double = 0.50
    /// Price per GB stored for a month (`price_stored_per_gb_month`).
    @Rounded<FourDecimals> public var priceStoredPerGBMonth: Double = 0.10
    /// Disk taken by the baseline store per raw byte received (`baseline_disk_factor`).
    @Rounded<FourDecimals> public var baselineDiskFactor: Double = 1.0
    /// Monthly budget in the price currency (`monthly_budget`); nil makes C3 n/a.
    @RoundedOrNA<TwoDecimals> public var monthlyBudget: Double? = nil
    /// Days data is kept (`retention_days`).
    public var retentionDays: Int = 30
    /// K: events of the same stream before a failure that make up its context (`context_events`).
    public var contextEvents: Int = 20
    /// Learning-cost points declared by the operator, 0–5 (`learning_cost_points`).
    @Rounded<TwoDecimals> public var learningCostPoints: Double = 3
    /// Stability events per pod-day at which stability falls to 5/e points (`stability_scale`).
    @Rounded<FourDecimals> public var stabilityScale: Double = 1.0
    /// How long after a rollout a failure of a new kind counts against it (`parallelism_window`).
    public var parallelismWindowSeconds: Int64 = 1800
    /// Which templates count as high-volume, low-information (`suggestions:`); used by C2 and the suggestions.
    public var suggestions = SuggestionCriteria()

    /// All defaults.
    public init() {}

    /// Days in the month of the cost formula (scoring.md: "· 30"); not a setting.
    public static let daysPerMonth = 30.0
    /// Bytes in a GB for prices: decimal, as cloud price lists count.
    public static let bytesPerGB = 1e9
}
