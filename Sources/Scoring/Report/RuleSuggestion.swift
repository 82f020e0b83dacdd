/// Section 3: a template worth a rule, with the evidence that it is chatter, what the rule would save and the
/// rule itself.
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
    /// `drop`, `dedup`, `throttle` or `sample`.
    public var action: String
    /// `chatter` (clear evidence), `partial`, `volume` (none beyond size) or `business` (its variables look like
    /// business data: sample only, never ranked above the others).
    public var kind: String
    /// Periodicity 3, vocabulary 2, low information 1, debug/trace 1, bursts 1 (0 for business data).
    public var evidenceScore: Int
    /// The evidence in words, e.g. "every 10 s ± 0.2 s in 12 pods", "2 distinct values", "'kube-probe' in text".
    public var evidence: [String]
    /// What the suggested rule would remove per week.
    public var projectedWeeklySaving: Int64
    /// What dropping the template instead would remove per week (weeklyBytes).
    public var weeklySavingIfDropped: Int64
    public var topDeployments: [String]
    /// A rule to paste under `rules:` in the config file; it matches the template's events and no others.
    public var ruleYAML: String

    /// How the list is ordered, for the renderers.
    public static let rankingNote = "Ranked by evidence of chatter, not by volume: regular gaps between a template's events in each stream "
        + "(probes, keepalives, scrapes), probe/heartbeat/scrape vocabulary and machine user agents, few distinct values, debug/trace level, "
        + "bursts of repeated lines. Templates whose variables look like business data (order or payment words, amounts, "
        + "identifiers that rarely repeat) come last and are only sampled."

    /// For a request-log template whose status varies: `status: [2xx, 3xx]`, so that the same request failing
    /// is stored, and its longest constant word as `contains:`, which every line it matches holds, so that the
    /// filter reads the fields of those lines only.
    static func requestConditions(_ t: TemplateCandidate) -> String {
        guard t.requestWithStatus else { return "" }
        var out = "\n    status: [2xx, 3xx]"
        let words = t.text.split(separator: " ").map { w -> Substring in
            var w = w
            while let c = w.first, c == "\"" || c == "'" { w.removeFirst() }
            while let c = w.last, c == "\"" || c == "'" { w.removeLast() }
            return w
        }
        let constant = words.filter { !$0.contains("<*>") && !$0.contains("\"") && !$0.contains("\\") && $0.utf8.count >= 4 }
        if let longest = constant.max(by: { $0.utf8.count < $1.utf8.count }) {
            out += "\n    contains: \(TextEscaping.yamlQuoted(String(longest)))"
        }
        return out
    }

    /// The flagged templates ranked by evidence of chatter: clear chatter first, then partial evidence, then
    /// volume alone, then business data; within a kind by evidence score, then bytes, then id. At most `criteria.limit`.
    public static func suggestions(_ templates: [TemplateCandidate], retainedBytes: Int64, days: Double,
                                   criteria: SuggestionCriteria) -> [RuleSuggestion] {
        let order: [ChatterEvidence.Kind: Int] = [.chatter: 0, .partial: 1, .volume: 2, .business: 3]
        let flagged = templates.filter { criteria.flags($0, retainedBytes: retainedBytes) }.map { ($0, ChatterEvidence($0)) }
            .sorted { a, b in
                (order[a.1.kind]!, -a.1.score, -a.0.bytes, a.0.templateId) < (order[b.1.kind]!, -b.1.score, -b.0.bytes, b.0.templateId)
            }
        return flagged.prefix(criteria.limit).enumerated().map { i, pair in
            let (t, e) = pair
            let weekly = days > 0 ? Double(t.bytes) / days * 7 : Double(t.bytes)
            let name = "suggested-" + t.templateId.prefix(8)
            var action = "sample", settings = "  every: \(criteria.sampleEvery)"
            var saving = weekly * (1 - 1 / Double(criteria.sampleEvery))
            // Events per pod and minute, for a throttle's limit.
            let minutes = max(1, days * 1440)
            let perPodMinute = Double(t.events) / Double(max(1, t.measured.pods)) / minutes
            switch e.kind {
            case .chatter where e.repeatShare >= 0.3 && e.period == nil:
                action = "dedup"; settings = "  window: 1m"; saving = weekly * e.repeatShare
            case .chatter:
                action = "drop"; settings = ""; saving = weekly
            case .partial where e.repeatShare >= 0.3:
                action = "dedup"; settings = "  window: 1m"; saving = weekly * e.repeatShare
            case .partial where t.measured.pods > 0 && perPodMinute >= 20:
                action = "throttle"; settings = "  limit: 10\n  per: 1m\n  key: pod"; saving = weekly * (1 - 10 / perPodMinute)
            default:
                break
            }
            let yaml = """
                - name: \(name)
                  match:
                    template: \(TextEscaping.yamlQuoted(t.text))\(Self.requestConditions(t))
                  action: \(action)
                """ + (settings.isEmpty ? "" : "\n" + settings)
            return RuleSuggestion(rank: i + 1, templateId: t.templateId, template: t.text, events: t.events, bytes: t.bytes,
                                  shareOfRetained: Double(t.bytes) / Double(retainedBytes), weeklyBytes: Int64(weekly.rounded()),
                                  action: action, kind: e.kind.rawValue, evidenceScore: e.score, evidence: e.words,
                                  projectedWeeklySaving: Int64(saving.rounded()), weeklySavingIfDropped: Int64(weekly.rounded()),
                                  topDeployments: t.topDeployments, ruleYAML: yaml)
        }
    }
}
