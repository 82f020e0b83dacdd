public import LogCore

/// A mined message template of retained events, as the store counts it over the range (input of section 3 and C2).
public struct TemplateCandidate: Sendable, Equatable {
    /// The template id, 16 hex digits as `template:` rules name it.
    public var templateId: String
    /// The template text, variable positions as `<*>`.
    public var text: String
    public var events: Int64
    /// Retained bytes of its events.
    public var bytes: Int64
    /// The highest level among its events.
    public var maxLevel: LogLevel
    /// Seen among the K events before a failure in its stream: never suggested, never flagged.
    public var inFailureContext: Bool
    /// The deployments with most of its bytes, largest first.
    public var topDeployments: [String]

    public init(templateId: String, text: String, events: Int64, bytes: Int64, maxLevel: LogLevel, inFailureContext: Bool, topDeployments: [String] = []) {
        self.templateId = templateId
        self.text = text
        self.events = events
        self.bytes = bytes
        self.maxLevel = maxLevel
        self.inFailureContext = inFailureContext
        self.topDeployments = topDeployments
    }
}

extension SuggestionCriteria {
    /// Whether a template is high-volume and low-information: below warn, never in failure context, at least
    /// `minEvents` events and `minSharePercent` of the retained bytes, and with some letters (not just numbers).
    public func flags(_ t: TemplateCandidate, retainedBytes: Int64) -> Bool {
        !t.inFailureContext && t.maxLevel < .warn && t.events >= minEvents && retainedBytes > 0
            && 100 * Double(t.bytes) / Double(retainedBytes) >= minSharePercent && t.text.contains(where: \.isLetter)
    }

    /// The retained bytes of the flagged templates: ``ScoreInputs/bytesInFlaggedTemplates``.
    public func flaggedBytes(_ templates: [TemplateCandidate], retainedBytes: Int64) -> Int64 {
        templates.filter { flags($0, retainedBytes: retainedBytes) }.reduce(0) { $0 + $1.bytes }
    }
}

/// Section 3: a template worth a rule, with what the rule would save and the rule itself.
public struct RuleSuggestion: Codable, Sendable, Equatable {
    public var rank: Int
    public var templateId: String
    public var template: String
    public var events: Int64
    public var bytes: Int64
    /// bytes ÷ retained bytes in the range.
    @Rounded<FourDecimals> public var shareOfRetained: Double
    /// The template's bytes per week at the range's rate (bytes ÷ days × 7).
    public var weeklyBytes: Int64
    /// What the suggested `sample` rule would remove per week: weeklyBytes × (1 − 1/every).
    public var projectedWeeklySaving: Int64
    /// What dropping the template instead would remove per week (weeklyBytes).
    public var weeklySavingIfDropped: Int64
    public var topDeployments: [String]
    /// A rule to paste under `rules:` in the config file.
    public var ruleYAML: String

    /// The flagged templates, largest first, at most `criteria.limit`.
    public static func suggestions(_ templates: [TemplateCandidate], retainedBytes: Int64, days: Double,
                                   criteria: SuggestionCriteria) -> [RuleSuggestion] {
        let flagged = templates.filter { criteria.flags($0, retainedBytes: retainedBytes) }
            .sorted { ($1.bytes, $0.templateId) < ($0.bytes, $1.templateId) }
        return flagged.prefix(criteria.limit).enumerated().map { i, t in
            let weekly = days > 0 ? Double(t.bytes) / days * 7 : Double(t.bytes)
            let every = criteria.sampleEvery
            let name = "suggested-" + t.templateId.prefix(8)
            let yaml = """
                - name: \(name)
                  match:
                    template: \(TextEscaping.yamlQuoted(t.text))
                  action: sample
                  every: \(every)
                """
            return RuleSuggestion(rank: i + 1, templateId: t.templateId, template: t.text, events: t.events, bytes: t.bytes,
                                  shareOfRetained: Double(t.bytes) / Double(retainedBytes), weeklyBytes: Int64(weekly.rounded()),
                                  projectedWeeklySaving: Int64((weekly * (1 - 1 / Double(every))).rounded()),
                                  weeklySavingIfDropped: Int64(weekly.rounded()), topDeployments: t.topDeployments, ruleYAML: yaml)
        }
    }
}
