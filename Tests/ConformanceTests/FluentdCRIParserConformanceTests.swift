import Foundation
import LogCore
import LogIndexer
import Testing

/// fluent-plugin-parser-cri: single CRI lines, including a nested JSON body whose time wins.
@Suite struct FluentdCRIParserConformanceTests {
    static let file = "fluent-plugin-parser-cri/fluent-plugin-parser-cri_cases.json"

    @Test func criParser() {
        guard let doc = Corpus.document(Self.file) else { return }
        let tally = Tally(Self.file)
        defer { tally.report() }
        for c in doc["cases"] as? [[String: Any]] ?? [] {
            let name = c["test"] as? String ?? "?"
            let input = c["input"] as? String ?? ""
            let record = c["expected_record"] as? [String: Any] ?? [:]
            let events = Pipeline.run([input], format: .cri)
            guard events.count == 1, let e = events.first else { tally.check(name, ["got \(events)"]); continue }
            var problems: [String] = []
            if let t = c["expected_time"] as? String, e.ns != rfc3339(t) { problems.append("time \(e.ns) != \(t)") }
            if let s = record["stream"] as? String, e.stream != s { problems.append("stream \(e.stream)") }
            if let m = record["message"] as? String {
                if e.text != m { problems.append("text \(e.text.debugDescription) != \(m.debugDescription)") }
            } else {
                // A parsed JSON body: the event is the JSON text, recognised as JSON.
                let body = String(input.split(separator: " ", maxSplits: 3)[3])
                if e.text != body || e.format != .json { problems.append("JSON body \(e.text.debugDescription) format \(e.format)") }
            }
            let config = c["config"] as? [String: Any] ?? [:]
            tally.check(name, problems, difference: config["merge_cri_fields"] as? Bool == false || config["keep_time_key"] as? Bool == false
                ? "record-shaping option \(config) has no counterpart; the event's text, time and stream are checked" : nil)
        }
    }
}
