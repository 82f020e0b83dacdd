import Filters
import LogCore
import Testing
@testable import Scoring

@Suite struct SuggestionTests {
    let report = SampleReport.report

    @Test func flaggedTemplatesAreRankedByEvidenceNotSize() {
        // Retained 7 GB; 0.5% is 35 MB. Flagged: the items template (500 MB) and cache refreshed (200 MB). Not flagged:
        // "connecting to db" (failure context), "<*> <*>" (no letters), "slow query" (warn). The smaller one is at
        // debug level (partial evidence of chatter), the larger has no evidence beyond its volume.
        #expect(report.suggestions.map(\.template) == ["cache refreshed <*> entries", "GET /api/v1/items <*> 200 <*> ms"])
        #expect(report.suggestions.map(\.kind) == ["partial", "volume"])
        #expect(report.suggestions.map(\.evidence) == [["debug level"], ["no chatter evidence: volume only"]])
        #expect(report.suggestions.map(\.rank) == [1, 2])
        #expect(!report.suggestions.contains { $0.template.contains("connecting to db") })
        #expect(report.notes.contains("1 template(s) large enough to suggest occurred among the 20 events before a failure, so they are not suggested."))
        #expect(World.budget75.suggestions.flaggedBytes(SampleReport.inputs.templates, retainedBytes: 7_000_000_000) == 700_000_000)
    }

    @Test func projectedSavingsArePerWeek() {
        // 500 MB over a 7-day range: 500 MB a week; sampling 1 in 10 removes 9/10 of it.
        let s = report.suggestions[1]
        #expect(s.weeklyBytes == 500_000_000)
        #expect(s.projectedWeeklySaving == 450_000_000)
        #expect(s.weeklySavingIfDropped == 500_000_000)
        #expect(close(s.shareOfRetained, 500.0 / 7_000))
    }

    @Test func theSuggestedRuleLoadsAsANoiseRule() throws {
        for s in report.suggestions {
            let yaml = "rules:\n" + s.ruleYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            let config = try FilterConfig.load(yaml: yaml, source: "pasted.yaml")
            #expect(config.rules.map(\.name) == ["suggested-" + s.templateId.prefix(8)])
            #expect(config.rules.first?.action == .sample(every: 10))
        }
    }

    @Test func hostileTemplateTextStaysOneYAMLString() throws {
        let text = "say \"hi\" \\ then\ttab: #not-a-comment\u{1B}[31m"
        let t = TemplateCandidate(templateId: "00000000000000ab", text: text, events: 500, bytes: 1_000, maxLevel: .info, inFailureContext: false)
        let s = try #require(RuleSuggestion.suggestions([t], retainedBytes: 1_000, days: 7, criteria: SuggestionCriteria()).first)
        #expect(s.ruleYAML.contains(#"template: "say \"hi\" \\ then\ttab: #not-a-comment\x1b[31m""#))
        _ = try FilterConfig.load(yaml: "rules:\n" + s.ruleYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"), source: "x")
    }

    @Test func limitKeepsTheLargestAndCountsTheRest() {
        var c = SuggestionCriteria()
        c.limit = 1
        let templates = SampleReport.inputs.templates
        #expect(RuleSuggestion.suggestions(templates, retainedBytes: 7_000_000_000, days: 7, criteria: c).count == 1)
        var config = World.budget75
        config.suggestions.limit = 1
        let r = WeeklyReport(SampleReport.inputs, config: config)
        #expect(r.moreSuggestions == 1)
    }

    /// A template measured at ingest: `gaps` of `period` ± `sd` seconds, `distinct` sketch bits, in `pods` pods.
    static func measured(_ text: String, bytes: Int64, level: LogLevel = .info, period: Double? = nil, sd: Double = 0, distinctBits: Int,
                         repeats: Int64 = 0, identifiers: Bool = false, amounts: Bool = false, pods: Int = 3) -> TemplateCandidate {
        var t = TemplateCandidate(templateId: String(format: "%016x", UInt64(abs(text.hashValue % 1_000_000))), text: text, events: 10_000,
                                  bytes: bytes, maxLevel: level, inFailureContext: false)
        let n = 9_000.0, mean = period ?? 1.0, sdev = period == nil ? 1.3 : sd
        t.measured = TemplateMeasures(gaps: Int64(n), gapSum: n * mean, gapSquares: n * (sdev * sdev + mean * mean), repeats: repeats,
                                      sketch: distinctBits >= 64 ? UInt64.max : (UInt64(1) << UInt64(distinctBits)) - 1,
                                      identifiers: identifiers, amounts: amounts, pods: pods)
        return t
    }

    @Test func evidenceDecidesKindActionAndRank() {
        let cases: [(TemplateCandidate, kind: String, action: String, evidence: [String])] = [
            (Self.measured("GET <*> 200 <*> ms order=<*> total=<*>", bytes: 900_000, distinctBits: 64, identifiers: true, amounts: true),
             "business", "sample", ["irregular gaps", "business data: 'order' in text, amounts with two decimals, identifiers that rarely repeat (over 250 distinct values)"]),
            (Self.measured("probe ok for <*> via kube-probe", bytes: 100_000, period: 10, sd: 0.2, distinctBits: 2),
             "chatter", "drop", ["every 10 s ± 0.2 s in 3 pods", "2 distinct values", "'kube-probe' in text"]),
            (Self.measured("lease renewed for <*>", bytes: 200_000, period: 2.5, sd: 0.1, distinctBits: 1, pods: 1),
             "chatter", "drop", ["every 2.5 s ± 0.1 s in 1 pod", "1 distinct value"]),
            (Self.measured("retrying connection to <*>", bytes: 300_000, distinctBits: 3, repeats: 8_000),
             "partial", "dedup", ["irregular gaps", "3 distinct values", "80% repeat the previous line within 1 s"]),
            (Self.measured("cache stats <*>", bytes: 400_000, level: .debug, distinctBits: 64),
             "partial", "sample", ["irregular gaps", "over 250 distinct values", "debug level"]),
        ]
        let ranked = RuleSuggestion.suggestions(cases.map(\.0), retainedBytes: 2_000_000, days: 7, criteria: SuggestionCriteria())
        // Clear chatter first (by score: periodic + vocabulary + low information, then periodic + low information),
        // then partial evidence (bursts of repeats, then debug level), and the largest template, business data, last.
        #expect(ranked.map(\.template) == [cases[1].0.text, cases[2].0.text, cases[3].0.text, cases[4].0.text, cases[0].0.text])
        for c in cases {
            let s = ranked.first { $0.template == c.0.text }
            #expect(s?.kind == c.kind)
            #expect(s?.action == c.action)
            #expect(s?.evidence == c.evidence)
        }
        #expect(ranked.first { $0.action == "dedup" }?.ruleYAML.hasSuffix("action: dedup\n  window: 1m") == true)
    }

    @Test func aFastLowInformationTemplateIsThrottledPerPod() throws {
        // 10,000 events in 3 pods over 14.4 minutes: about 231 per pod and minute, one distinct value, irregular.
        let t = Self.measured("cache lookup done for <*>", bytes: 1_000_000, distinctBits: 1)
        let s = try #require(RuleSuggestion.suggestions([t], retainedBytes: 1_000_000, days: 0.01, criteria: SuggestionCriteria()).first)
        #expect(s.kind == "partial")
        #expect(s.action == "throttle")
        #expect(s.ruleYAML.hasSuffix("action: throttle\n  limit: 10\n  per: 1m\n  key: pod"))
        let perPodMinute = 10_000.0 / 3 / 14.4
        // 700 MB a week; the throttle keeps 10 of every ~231 events per pod and minute.
        #expect(s.weeklyBytes == 700_000_000)
        #expect(abs(Double(s.projectedWeeklySaving) - 700_000_000 * (1 - 10 / perPodMinute)) <= 1)
        let config = try FilterConfig.load(yaml: "rules:\n" + s.ruleYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n", source: "x")
        #expect(config.rules.first?.action == .throttle(limit: 10, intervalNs: 60_000_000_000, key: .pod))
    }
}
