/// Learning cost for engineers: not measurable from logs, declared in the config and shown as declared.
public struct LearningCostScore: Codable, Sendable, Equatable {
    /// `learning_cost_points` from the config.
    @Rounded<TwoDecimals> public var declaredPoints: Double
    @RoundedOrNA<TwoDecimals> public var points: Double?

    init(_ c: ScoringConfig) {
        declaredPoints = c.learningCostPoints
        points = c.learningCostPoints
    }
}
