import Foundation
import LogCore
import LogIndexer
import Testing

/// Vector's line_agg cases where its configured patterns describe what we do without configuration:
/// indented continuation lines, Java `at` frames and Ruby `from` frames.
@Suite struct VectorLineAggConformanceTests {
    static let file = "vector/vector_line_agg_multiline_cases.json"
    /// Cases whose start/condition patterns match our built-in joining rules.
    static let ours: Set<String> = ["mode_continue_through_1", "use_case_java_exception", "use_case_ruby_exception"]

    @Test func lineAggregation() {
        guard let doc = Corpus.document(Self.file) else { return }
        let tally = Tally(Self.file)
        defer { tally.report() }
        for c in doc["cases"] as? [[String: Any]] ?? [] {
            let name = c["test"] as? String ?? "?"
            let config = c["config"] as? [String: Any] ?? [:]
            guard Self.ours.contains(name), let lines = c["lines"] as? [String] else {
                let mode = config["mode"] as? String ?? "legacy"
                tally.skip(name, "\(mode) with start \((config["start_pattern"] as? String ?? config["legacy_message_start_indicator"] as? String ?? "").debugDescription), condition \((config["condition_pattern"] as? String ?? "").debugDescription): arbitrary patterns we do not have")
                continue
            }
            let want = (c["expected"] as? [[String: Any]] ?? []).map { $0["message"] as? String ?? "" }
            tally.check(name, compare(Pipeline.run(lines).map(\.text), want))
        }
        if doc["file_source_case"] != nil {
            tally.skip("file_source test_multi_line_aggregation", "halt_before on an unanchored \"INFO\" pattern with a timeout: arbitrary patterns we do not have")
        }
    }
}
