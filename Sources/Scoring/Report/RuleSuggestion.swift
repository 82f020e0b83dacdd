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
