/// Labels shared by the Markdown and HTML renderers, so that both print the same tables.
enum ReportText {
    static let sectionTitles = ["Headline", "Noise by rule", "Rule suggestions", "Failures by deployment", "Scores", "Daily volume"]

    static func scopeTitle(_ card: Scorecard) -> String {
        card.inputs.isOverall ? "Overall (all deployments)" : "Deployment \(card.inputs.scope)"
    }

    static func scopeName(_ card: Scorecard) -> String { card.inputs.isOverall ? "overall" : card.inputs.scope }

    static func deployments(_ d: [DeploymentVolume]) -> String {
        d.map { "\($0.deployment) (\(FigureText.bytes($0.bytes)))" }.joined(separator: ", ")
    }

    static func duration(_ seconds: Int64) -> String {
        seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }

    static let metricHeader = ["Metric", "Points", "Weight", "Effective weight", "Contribution"]
    static let ratioHeader = ["Ratio", "Measures", "n", "d", "Formula", "Value", "Weight", "Effective weight", "Contribution"]

    /// The rows of a card's metric table (text, to be escaped by the caller's format where needed).
    static func metricRows(_ card: Scorecard) -> [[String]] {
        card.metrics.map { m in [m.metric.title, m.$points, m.$weight, m.$effectiveWeight, m.$contribution] }
            + [["Total", "", "", card.total == nil ? FigureText.notApplicable : "100.00", card.$total]]
    }

    static func ratioRows(_ r: WeightedRatio) -> [[String]] {
        r.components.map { c in
            [c.id, c.name, c.numerator.text, c.denominator.text, c.formula.rawValue, c.$ratio, c.$weight, c.$effectiveWeight, c.$contribution]
        }
    }

    static let costHeader = ["Figure", "Value"]
    static func costRows(_ f: CostFigures) -> [[String]] {
        [
            ["Days covered", f.$days],
            ["Received GB/day", f.$receivedGBPerDay],
            ["Stored GB/day (data + index)", f.$storedGBPerDay],
            ["Baseline stored GB/day (× \(f.$baselineDiskFactor))", f.$baselineStoredGBPerDay],
            ["Price per GB received", f.$priceReceivedPerGB],
            ["Price per GB-month stored", f.$priceStoredPerGBMonth],
            ["Retention days", String(f.retentionDays)],
            ["Monthly receiving cost (GB/day × 30 × price)", f.$monthlyReceivingCost],
            ["Monthly storage cost (GB/day × retention × price)", f.$monthlyStorageCost],
            ["Monthly cost", f.$monthlyCost],
            ["Baseline monthly cost", f.$baselineCost],
            ["Monthly saving", f.$monthlySaving],
            ["Monthly budget", f.$monthlyBudget],
        ]
    }

    static let stabilityHeader = ["Restarts", "OOMKilled", "CrashLoopBackOff", "Evicted", "Probe failures", "Events", "Pod-days",
                                  "Events per pod-day", "Scale", "Points"]
    static func stabilityRow(_ s: StabilityScore) -> [String] {
        let c = s.counts
        return [c.restarts, c.oomKilled, c.crashLoop, c.evicted, c.probeFailed, s.events].map(FigureText.count)
            + [s.$podDays, s.$eventsPerPodDay, s.$scale, s.$points]
    }

    static let securityHeader = ["Class", "Events", "Fixed (redacted at ingest)", "Counts", "First", "Example"]

    static let parallelismHeader = ["Overlapping rollouts", "Succeeded", "Share", "Peak concurrent", "Median pipeline (s)", "Window", "Points"]
    static func parallelismRow(_ p: ParallelismScore) -> [String] {
        [FigureText.count(p.overlapping), FigureText.count(p.overlappingSucceeded), FigureText.percent(ofRatio: p.successShare),
         FigureText.count(p.peakConcurrent), p.$medianPipelineSeconds, duration(p.windowSeconds), p.$points]
    }

    static let summaryHeader = ["Scope"] + Metric.allCases.map(\.title) + ["Total"]
    static func summaryRow(_ card: Scorecard) -> [String] {
        [scopeName(card)] + card.metrics.map { $0.$points } + [card.$total]
    }

    static let dailyHeader = ["Day", "Events received", "Received", "Retained", "Stored", "Removed by rules"]
    static func dailyRow(_ d: DailyVolume) -> [String] {
        [d.date, FigureText.count(d.eventsReceived), FigureText.bytes(d.bytesReceived), FigureText.bytes(d.bytesRetained),
         FigureText.bytes(d.bytesStored), FigureText.bytes(max(0, d.bytesReceived - d.bytesRetained))]
    }

    static let headlineHeader = ["Figure", "This range", "Previous range", "Change"]
    static func headlineRow(_ r: HeadlineRow) -> [String] {
        [r.label, r.current?.text ?? FigureText.notApplicable, r.previous?.text ?? FigureText.notApplicable, FigureText.change(r.changePercent)]
    }
}
