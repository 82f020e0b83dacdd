/// The six-metric card of one scope over a range: every metric with its figures, the weighted total out of 100,
/// and notes on what was n/a and why.
public struct Scorecard: Codable, Sendable, Equatable {
    /// The figures it was computed from.
    public var inputs: ScoreInputs
    /// Transparency from T1–T5.
    public var transparency: TransparencyScore
    /// Cost from C1–C3 and the money figures.
    public var cost: CostScore
    /// Stability from platform events per pod-day.
    public var stability: StabilityScore
    /// Security from the finding classes present.
    public var security: SecurityScore
    /// Parallelism from overlapping rollouts.
    public var parallelism: ParallelismScore
    /// Learning cost as declared.
    public var learningCost: LearningCostScore
    /// The six metrics in ``Metric`` order, with weights and contributions.
    public var metrics: [MetricScore]
    /// Σ contributions: Σ weight · points / 5 over the metrics that are not n/a, rescaled to 100; nil when every
    /// metric with a positive weight is n/a.
    @RoundedOrNA<OneDecimal> public var total: Double?
    /// Why figures are n/a and how their weight was spread, in the order a reader meets them.
    public var notes: [String]

    /// Computes the card exactly as scoring.md says.
    public static func compute(_ inputs: ScoreInputs, config: ScoringConfig) -> Scorecard {
        Scorecard(inputs: inputs, config: config)
    }

    private init(inputs x: ScoreInputs, config c: ScoringConfig) {
        inputs = x
        transparency = TransparencyScore(x, c.transparencyWeights)
        cost = CostScore(x, c)
        stability = StabilityScore(x, c)
        security = SecurityScore(x)
        parallelism = ParallelismScore(x, c)
        learningCost = LearningCostScore(c)

        let points: [Metric: Double?] = [
            .transparency: transparency.points, .cost: cost.points, .stability: stability.points,
            .security: security.points, .parallelism: parallelism.points, .learningCost: learningCost.points,
        ]
        let measuredWeight = Metric.allCases.filter { points[$0]! != nil }.reduce(0.0) { $0 + c.weights[$1] }
        metrics = Metric.allCases.map { m in
            let p = points[m]!
            let share = p != nil && measuredWeight > 0 ? 100 * c.weights[m] / measuredWeight : nil
            return MetricScore(metric: m, points: p, weight: c.weights[m], effectiveWeight: share,
                               contribution: share.map { $0 * p! / 5 })
        }
        total = measuredWeight > 0 ? metrics.compactMap(\.contribution).reduce(0, +) : nil
        notes = []
        notes = explain(c)
    }

    /// The points of one metric.
    public subscript(metric: Metric) -> MetricScore { metrics.first { $0.metric == metric }! }

    /// The metrics that are n/a.
    public var notApplicable: [Metric] { metrics.filter { $0.points == nil }.map(\.metric) }

    private func explain(_ c: ScoringConfig) -> [String] {
        var out: [String] = []
        for (metric, group) in [(Metric.transparency, transparency.ratios), (.cost, cost.ratios)] {
            let na = group.components.filter { $0.ratio == nil }
            guard !na.isEmpty else { continue }
            for comp in na { out.append("\(comp.id) (\(comp.name)) is n/a: \(comp.notApplicableReason).") }
            let measured = group.components.filter { $0.ratio != nil }.map(\.id)
            let spread = na.reduce(0.0) { $0 + $1.weight }
            if measured.isEmpty {
                out.append("\(metric.title) is n/a: none of its ratios could be measured.")
            } else {
                out.append("\(metric.title): the weight of \(na.map(\.id).joined(separator: ", ")) (\(FigureText.fixed(spread, decimals: 4))) is spread over \(measured.joined(separator: ", ")) in proportion to their weights.")
            }
        }
        if stability.points == nil { out.append("Stability is n/a: no pod of this scope was seen running in range (0 pod-days).") }
        for s in security.classes where s.events > 0 && !s.present {
            out.append("Security: all \(s.events) \(s.kind.title) event(s) were redacted at ingest, so the class counts as fixed.")
        }
        if security.points == nil { out.append("Security is n/a: no events are stored in range, so there are no logs to inspect.") }
        if parallelism.points == nil { out.append("Parallelism is n/a: no rollout overlapped another in range.") }
        out.append("Learning cost is declared in the config (learning_cost_points: \(learningCost.$declaredPoints)), not measured.")
        let na = notApplicable
        if total == nil {
            out.append("No total: every metric with a positive weight is n/a.")
        } else if !na.isEmpty {
            let measured = metrics.filter { $0.points != nil }
            let sum = measured.reduce(0.0) { $0 + $1.weight }
            out.append("Total over \(measured.count) of 6 metrics: \(na.map(\.title).joined(separator: ", ")) n/a; the other weights (sum \(FigureText.fixed(sum, decimals: 2))) are rescaled to 100.")
        }
        return out
    }
}
