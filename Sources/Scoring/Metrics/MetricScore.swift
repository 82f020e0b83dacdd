/// One metric's line in the total: points, weight, and what it adds.
public struct MetricScore: Codable, Sendable, Equatable {
    public var metric: Metric
    /// 0–5, or nil (n/a).
    @RoundedOrNA<TwoDecimals> public var points: Double?
    /// The configured weight.
    @Rounded<TwoDecimals> public var weight: Double
    /// The weight rescaled so that the weights of the metrics that are not n/a sum to 100; nil when n/a.
    @RoundedOrNA<TwoDecimals> public var effectiveWeight: Double?
    /// effectiveWeight × points / 5: what the metric adds to the total.
    @RoundedOrNA<TwoDecimals> public var contribution: Double?
}
