import Testing
@testable import Scoring

@Suite struct ConfigTests {
    func load(_ yaml: String) throws(ScoringConfigError) -> ScoringConfig { try ScoringConfig.load(yaml: yaml, source: "logsift.yaml") }

    func failure(_ yaml: String) -> ScoringConfigError? {
        do { _ = try load(yaml); return nil } catch { return error }
    }

    @Test func defaultsAreScoringMd() {
        let c = ScoringConfig()
        #expect(Metric.allCases.map { c.weights[$0] } == [30, 30, 10, 10, 10, 10])
        let t = c.transparencyWeights
        #expect([t.traceability, t.context, t.visibility, t.completeness, t.structure] == [0.35, 0.25, 0.20, 0.10, 0.10])
        #expect([c.costWeights.saving, c.costWeights.residualNoise, c.costWeights.budgetFit] == [0.5, 0.3, 0.2])
        #expect(c.priceReceivedPerGB == 0.50 && c.priceStoredPerGBMonth == 0.10 && c.baselineDiskFactor == 1.0)
        #expect(c.monthlyBudget == nil && c.retentionDays == 30 && c.contextEvents == 20)
        #expect(c.learningCostPoints == 3 && c.stabilityScale == 1.0 && c.parallelismWindowSeconds == 1800)
    }

    @Test func fileWithoutScoringGivesDefaults() throws {
        #expect(try load("") == ScoringConfig())
        #expect(try load("rules:\n  - name: x\n    match: {contains: a}\n    action: drop\n") == ScoringConfig())
        #expect(try load("scoring:\n") == ScoringConfig())
    }

    @Test func overridesAreReadAndTheRestKeepTheirDefaults() throws {
        let c = try load("""
            version: 1
            rules: []
            scoring:
              weights: {transparency: 40, cost: 20}
              transparency_weights:
                context: 0.5
              cost_weights: {budget_fit: 0}
              price_received_per_gb: 0.25
              price_stored_per_gb_month: 0.023
              baseline_disk_factor: 1.3
              monthly_budget: 120
              retention_days: 14
              context_events: 50
              learning_cost_points: 4.5
              stability_scale: 2
              parallelism_window: 1h
              suggestions: {min_share_percent: 1.5, min_events: 1000, limit: 3, sample_every: 100}
            """)
        #expect(c.weights.transparency == 40 && c.weights.cost == 20 && c.weights.stability == 10)
        #expect(c.transparencyWeights.context == 0.5 && c.transparencyWeights.traceability == 0.35)
        #expect(c.costWeights.budgetFit == 0 && c.costWeights.saving == 0.5)
        #expect(c.priceReceivedPerGB == 0.25 && c.priceStoredPerGBMonth == 0.023 && c.baselineDiskFactor == 1.3)
        #expect(c.monthlyBudget == 120 && c.retentionDays == 14 && c.contextEvents == 50)
        #expect(c.learningCostPoints == 4.5 && c.stabilityScale == 2 && c.parallelismWindowSeconds == 3600)
        #expect(c.suggestions.minSharePercent == 1.5 && c.suggestions.minEvents == 1000)
        #expect(c.suggestions.limit == 3 && c.suggestions.sampleEvery == 100)
    }

    @Test func nullBudgetMeansNone() throws {
        #expect(try load("scoring:\n  monthly_budget: ~\n").monthlyBudget == nil)
        #expect(try load("scoring:\n  monthly_budget: 0\n").monthlyBudget == 0)
    }

    static let cases: [(yaml: String, line: Int, key: String, message: String, help: String)] = [
        ("scoring:\n  retention: 30\n", 2, "scoring.retention", "unknown key `retention` in `scoring`", "did you mean `retention_days`"),
        ("scoring:\n  weights:\n    securty: 5\n", 3, "scoring.weights.securty", "unknown key `securty` in `scoring.weights`", "did you mean `security`"),
        ("scoring:\n  price_received_per_gb: -1\n", 2, "scoring.price_received_per_gb", "must be a number ≥ 0, not \"-1\"", "for example"),
        ("scoring:\n  price_received_per_gb: cheap\n", 2, "scoring.price_received_per_gb", "not \"cheap\"", ""),
        ("scoring:\n  baseline_disk_factor: 0\n", 2, "scoring.baseline_disk_factor", "must be a number > 0", ""),
        ("scoring:\n  learning_cost_points: 6\n", 2, "scoring.learning_cost_points", "must be a number of points from 0 to 5, not \"6\"", ""),
        ("scoring:\n  retention_days: 0\n", 2, "scoring.retention_days", "must be a whole number ≥ 1, not \"0\"", ""),
        ("scoring:\n  retention_days: 7.5\n", 2, "scoring.retention_days", "whole number", ""),
        ("scoring:\n  context_events: [20]\n", 2, "scoring.context_events", "whole number", ""),
        ("scoring:\n  monthly_budget: .inf\n", 2, "scoring.monthly_budget", "must be a number ≥ 0", ""),
        ("scoring:\n  parallelism_window: 30 minutes\n", 2, "scoring.parallelism_window", "a duration like 90s, 30m or 2h", "unit"),
        ("scoring:\n  weights: {transparency: 0, cost: 0, stability: 0, security: 0, parallelism: 0, learning_cost: 0}\n", 2,
         "scoring.weights", "are all 0", "positive weight"),
        ("scoring:\n  cost_weights: {saving: 0, residual_noise: 0, budget_fit: 0}\n", 2, "scoring.cost_weights", "are all 0", ""),
        ("scoring:\n  weights: 30\n", 2, "scoring.weights", "`scoring.weights` must be a mapping", "keys: transparency"),
        ("scoring: 5\n", 1, "scoring", "`scoring` must be a mapping", ""),
        ("scoring:\n  suggestions: {sample_every: 1}\n", 2, "scoring.suggestions.sample_every", "≥ 2", ""),
        ("scoring:\n  weights: {cost: 1\n", 3, "", "invalid YAML", "indentation"),
    ]

    @Test(arguments: cases.indices)
    func badValuesAreRefusedNamingTheKey(_ i: Int) throws {
        let c = Self.cases[i]
        let e = try #require(failure(c.yaml), "case \(i) loaded")
        #expect(e.line == c.line, "\(e)")
        #expect(e.key == c.key, "\(e)")
        #expect(e.message.contains(c.message), "\(e)")
        #expect(c.help.isEmpty || e.help.contains(c.help), "\(e)")
        #expect(e.description.hasPrefix("logsift.yaml:\(c.line):"), "\(e)")
    }

    @Test func errorShowsTheLineWithACaret() throws {
        let e = try #require(failure("scoring:\n  retention_days: 30\n  stability_scale: -2\n"))
        #expect(e.description == """
            logsift.yaml:3:20: error: `scoring.stability_scale` must be a number > 0, not "-2"
             3 |   stability_scale: -2
               |                    ^
             help: for example `stability_scale: 1`
            """)
    }

    @Test func unreadableFileIsAnError() {
        #expect(throws: ScoringConfigError.self) { try ScoringConfig.load(path: "/nonexistent/logsift.yaml") }
    }
}
