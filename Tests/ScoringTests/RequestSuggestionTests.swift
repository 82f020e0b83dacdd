import Filters
import Testing
@testable import Scoring

/// Suggested rules for request-log templates keep the same request when it fails, and are gated by a word
/// every matching line contains.
@Suite struct RequestSuggestionTests {
    /// (template, status condition added, the `contains:` word)
    static let table: [(String, Bool, String?)] = [
        (#"[GIN] <*> - <*> | <*> | <*> | <*> | GET "/internal/alive""#, true, "/internal/alive"),
        ("GET /internal/alive <*> <*> ms - <*>", true, "/internal/alive"),
        ("method GET path /internal/alive format */* controller HealthController action show status <*> duration <*>", true, "HealthController"),
        ("method GET path <*> status <*> duration <*>", false, nil),
        ("Request finished HTTP/1.1 GET <*> - <*> - text/plain <*>", false, nil),
        ("GET /internal/alive took <*>", false, nil),
        ("cache refreshed <*> entries", false, nil),
    ]

    @Test(arguments: table.indices)
    func requestTemplatesGetAStatusCondition(_ i: Int) throws {
        let (text, status, word) = Self.table[i]
        var t = TemplateCandidate(templateId: "00000000000000cd", text: text, events: 5_000, bytes: 100_000, maxLevel: .info, inFailureContext: false)
        t.requestWithStatus = RequestTemplate.hasVariableStatus(text)
        #expect(t.requestWithStatus == status, "\(text)")
        let s = try #require(RuleSuggestion.suggestions([t], retainedBytes: 100_000, days: 1, criteria: SuggestionCriteria()).first)
        #expect(s.ruleYAML.contains("status: [2xx, 3xx]") == status, "\(s.ruleYAML)")
        #expect(s.ruleYAML.contains("contains: ") == (word != nil), "\(s.ruleYAML)")
        if let word { #expect(s.ruleYAML.contains("contains: \"\(word)\""), "\(s.ruleYAML)") }
        let config = try FilterConfig.load(yaml: "rules:\n" + s.ruleYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n",
                                           source: "pasted.yaml")
        #expect(config.rules.count == 1)
    }
}
