/// When a message template counts as high-volume and low-information: the rule that both C2 and the rule
/// suggestions use.
public struct SuggestionCriteria: Codable, Sendable, Equatable {
    /// Smallest share of retained bytes, in percent (`min_share_percent`).
    @Rounded<TwoDecimals> public var minSharePercent: Double = 0.5
    /// Fewest events in the range (`min_events`).
    public var minEvents: Int64 = 100
    /// Most suggestions a report lists (`limit`).
    public var limit: Int = 10
    /// The suggested rule keeps 1 event in this many (`sample_every`).
    public var sampleEvery: Int = 10

    /// The defaults.
    public init() {}
}
