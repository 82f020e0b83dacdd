/// Parallelism (scoring.md): 5 × the share of overlapping rollouts that still succeeded; n/a when none overlap.
public struct ParallelismScore: Codable, Sendable, Equatable {
    public var overlapping: Int64
    public var overlappingSucceeded: Int64
    /// overlappingSucceeded ÷ overlapping.
    @RoundedOrNA<FourDecimals> public var successShare: Double?
    public var peakConcurrent: Int64
    @RoundedOrNA<OneDecimal> public var medianPipelineSeconds: Double?
    /// The window after a rollout in which a failure of a new kind counts as its failure.
    public var windowSeconds: Int64
    @RoundedOrNA<TwoDecimals> public var points: Double?

    init(_ x: ScoreInputs, _ c: ScoringConfig) {
        let p = x.parallelism
        overlapping = p.overlapping
        overlappingSucceeded = min(p.overlappingSucceeded, p.overlapping)
        peakConcurrent = p.peakConcurrent
        medianPipelineSeconds = p.medianPipelineSeconds
        windowSeconds = c.parallelismWindowSeconds
        successShare = p.overlapping > 0 ? Double(overlappingSucceeded) / Double(p.overlapping) : nil
        points = successShare.map { 5 * $0 }
    }
}
