import Foundation

/// Stability (scoring.md): 5 · exp(−events per pod-day / scale), over restarts, OOMKilled, CrashLoopBackOff,
/// evictions and probe failures.
public struct StabilityScore: Codable, Sendable, Equatable {
    public var counts: StabilityCounts
    /// All kinds together.
    public var events: Int64
    @Rounded<FourDecimals> public var podDays: Double
    /// events ÷ podDays; nil when no pod was seen running.
    @RoundedOrNA<FourDecimals> public var eventsPerPodDay: Double?
    @Rounded<FourDecimals> public var scale: Double
    @RoundedOrNA<TwoDecimals> public var points: Double?

    init(_ x: ScoreInputs, _ c: ScoringConfig) {
        counts = x.stability
        events = x.stability.total
        podDays = x.podDays
        scale = c.stabilityScale
        let rate = x.podDays > 0 ? Double(events) / x.podDays : nil
        eventsPerPodDay = rate
        points = rate.map { 5 * exp(-$0 / c.stabilityScale) }
    }
}
