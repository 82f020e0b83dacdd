import Filters
import LogCore
import Testing
@testable import Scoring

@Suite struct SuggestionTests {
    let report = SampleReport.report

    @Test func flaggedTemplatesAreSuggestedLargestFirst() {
        // Retained 7 GB; 0.5% is 35 MB. Flagged: the items template (500 MB) and cache refreshed (200 MB). Not flagged:
        // "connecting to db" (failure context), "<*> <*>" (no letters), "slow query" (warn).
        #expect(report.suggestions.map(\.template) == ["GET /api/v1/items <*> 200 <*> ms", "cache refreshed <*> entries"])
        #expect(report.suggestions.map(\.rank) == [1, 2])
        #expect(!report.suggestions.contains { $0.template.contains("connecting to db") })
        #expect(report.notes.contains("1 template(s) large enough to suggest occurred among the 20 events before a failure, so they are not suggested."))
        #expect(World.budget75.suggestions.flaggedBytes(SampleReport.inputs.templates, retainedBytes: 7_000_000_000) == 700_000_000)
    }

    @Test func projectedSavingsArePerWeek() {
        // 500 MB over a 7-day range: 500 MB a week; sampling 1 in 10 removes 9/10 of it.
        let s = report.suggestions[0]
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
}
