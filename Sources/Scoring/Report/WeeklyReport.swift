import LogCore

/// The weekly report as plain data: the six sections of issue 6, ready for any renderer
/// (``MarkdownRenderer``, ``HTMLRenderer``, ``JSONRenderer``).
public struct WeeklyReport: Codable, Sendable, Equatable {
    /// "logsift weekly report".
    public var title: String
    /// The range reported on.
    public var range: ReportRange
    /// The range the changes compare with.
    public var previousRange: ReportRange
    /// When the report was made.
    public var generatedNs: Int64
    /// The data directory it was made from.
    public var dataDirectory: String
    /// The settings everything was computed with.
    public var config: ScoringConfig
    /// 1. Headline.
    public var headline: Headline
    /// 2. Noise by rule.
    public var noiseByRule: [NoiseRuleRow]
    /// 3. Rule suggestions.
    public var suggestions: [RuleSuggestion]
    /// Flagged templates left out of the suggestions by the limit.
    public var moreSuggestions: Int
    /// 4. Failures by deployment.
    public var failures: [DeploymentFailures]
    /// 5. Scores: the whole store, then each deployment by name.
    public var overall: Scorecard
    public var deployments: [Scorecard]
    /// 6. Daily volume, oldest first.
    public var dailyVolume: [DailyVolume]
    /// The conventions (``ScoringConventions``) and what this report had to leave out.
    public var notes: [String]

    /// Assembles the report: scores every scope, ranks rules and suggestions, groups failures.
    public init(_ x: ReportInputs, config: ScoringConfig) {
        title = "logsift weekly report"
        range = x.range
        previousRange = x.range.previous
        generatedNs = x.generatedNs
        dataDirectory = x.dataDirectory
        self.config = config
        headline = Headline(current: HeadlineFigures(x.overall, config: config),
                            previous: x.previousOverall.map { HeadlineFigures($0, config: config) })
        noiseByRule = NoiseRuleRow.rows(x.noiseRules, bytesReceived: x.overall.bytesReceived)
        let flagged = x.templates.filter { config.suggestions.flags($0, retainedBytes: x.overall.bytesRetained) }.count
        suggestions = RuleSuggestion.suggestions(x.templates, retainedBytes: x.overall.bytesRetained, days: x.overall.days,
                                                 criteria: config.suggestions)
        moreSuggestions = flagged - suggestions.count
        failures = DeploymentFailures.sections(x.deployments, groups: x.failureGroups)
        overall = Scorecard.compute(x.overall, config: config)
        deployments = x.deployments.sorted { $0.scope < $1.scope }.map { Scorecard.compute($0, config: config) }
        dailyVolume = x.daily.sorted { $0.dayNs < $1.dayNs }
        var notes = ScoringConventions.notes
        if x.previousOverall == nil { notes.append("No data from the previous range (\(previousRange.label)), so no changes are shown.") }
        let inContext = x.templates.filter { t in
            var t = t
            guard t.inFailureContext else { return false }
            t.inFailureContext = false
            return config.suggestions.flags(t, retainedBytes: x.overall.bytesRetained)
        }.count
        if inContext > 0 {
            notes.append("\(inContext) template(s) large enough to suggest occurred among the \(config.contextEvents) events before a failure, so they are not suggested.")
        }
        if moreSuggestions > 0 { notes.append("\(moreSuggestions) more template(s) are flagged than the \(config.suggestions.limit) listed.") }
        self.notes = notes
    }

    /// Every scorecard: overall first.
    public var scorecards: [Scorecard] { [overall] + deployments }
}
