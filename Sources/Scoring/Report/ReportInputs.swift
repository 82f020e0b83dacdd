/// Everything the store gathers for one report; ``WeeklyReport/init(_:config:)`` does the rest.
public struct ReportInputs: Sendable {
    public var range: ReportRange
    /// When the report was made (printed; golden tests replace it).
    public var generatedNs: Int64
    /// The data directory it was made from (printed; golden tests replace it).
    public var dataDirectory: String
    /// The whole store over the range (scope ``ScoreInputs/overallScope``).
    public var overall: ScoreInputs
    /// The whole store over the previous range of the same length; nil when the store holds nothing from then.
    public var previousOverall: ScoreInputs?
    /// One per deployment seen in the range.
    public var deployments: [ScoreInputs]
    public var noiseRules: [NoiseRuleVolume]
    /// Templates of retained events in the range (all of them, or at least every one that could be flagged).
    public var templates: [TemplateCandidate]
    public var failureGroups: [FailureGroup]
    /// One per UTC day of the range.
    public var daily: [DailyVolume]

    /// The inputs of one report.
    public init(range: ReportRange, generatedNs: Int64, dataDirectory: String, overall: ScoreInputs, previousOverall: ScoreInputs? = nil,
                deployments: [ScoreInputs] = [], noiseRules: [NoiseRuleVolume] = [], templates: [TemplateCandidate] = [],
                failureGroups: [FailureGroup] = [], daily: [DailyVolume] = []) {
        self.range = range
        self.generatedNs = generatedNs
        self.dataDirectory = dataDirectory
        self.overall = overall
        self.previousOverall = previousOverall
        self.deployments = deployments
        self.noiseRules = noiseRules
        self.templates = templates
        self.failureGroups = failureGroups
        self.daily = daily
    }
}
