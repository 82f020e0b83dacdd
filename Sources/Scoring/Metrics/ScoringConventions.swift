/// The choices logsift makes where scoring.md is silent; reports print them once, under "Notes".
public enum ScoringConventions {
    /// One sentence per choice.
    public static let notes: [String] = [
        "A ratio whose denominator is 0 is n/a (nothing to measure); ratios are clamped to [0, 1]. A metric whose ratios are all n/a is n/a.",
        "Prices count GB as 10^9 bytes; a month is 30 days, as in the cost formula; per-day rates divide by the days the figures cover.",
        "The baseline receives the same bytes at the same price; only its disk differs (raw bytes × baseline_disk_factor), so C1 measures what storage saves.",
        "retention_days defaults to 30 (scoring.md gives no default).",
        "C3 is 1 when the monthly cost is 0 (any budget fits); without monthly_budget it is n/a.",
        "Stability is n/a when no pod of the scope was seen running (0 pod-days); the overall card divides all events by all pod-days.",
        "Security: a class counts only while some of its events are not fixed (redacted at ingest); it is n/a when nothing is stored in range.",
        "Parallelism counts a rollout as failed when its sync/stage failed or a failure event of a kind not seen before it occurs within parallelism_window.",
        "Learning cost is the declared value; it is never n/a.",
        "Weights need not sum to 100: the total is Σ weight · points / 5 over the metrics that are not n/a, rescaled so those weights sum to 100.",
        "Figures are computed at full precision and printed rounded (ratios 4 decimals, points and money 2, totals 1), the same in Markdown, HTML and JSON.",
    ]
}
