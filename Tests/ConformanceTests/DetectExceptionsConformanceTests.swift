import Foundation
import LogCore
import LogIndexer
import Testing

/// fluent-plugin-detect-exceptions: grouping stack traces of Java, JS, C#, Python, PHP, Go, Ruby and Dart.
@Suite struct DetectExceptionsConformanceTests {
    static let file = "fluent-plugin-detect-exceptions/detect_exceptions_cases.json"
    static let newlineNote = "the plugin's records keep each line's \"\\n\"; ours are lines joined with \"\\n\""

    @Test func stackTraceGrouping() {
        guard let doc = Corpus.document(Self.file) else { return }
        let tally = Tally(Self.file)
        defer { tally.report() }
        for c in doc["detector_line_actions"] as? [[String: Any]] ?? [] {
            lineActions(c, tally)
        }
        for c in doc["trace_accumulator_buffer_scenarios"] as? [[String: Any]] ?? [] {
            let name = "accumulator: " + (c["desc"] as? String ?? "?")
            let languages = c["languages"] as? [String] ?? []
            guard languages == ["all"] else {
                tally.skip(name, "restricts detection to \(languages); we detect every language we know")
                continue
            }
            let p = Pipeline()
            for m in c["input_messages"] as? [String] ?? [] { p.feedText(trace(m)) }
            tally.check(name, compare(p.finish().map(\.text), (c["expected_output"] as? [String] ?? []).map(chomp)), difference: Self.newlineNote)
        }
        for c in doc["trace_accumulator_json_scenarios"] as? [[String: Any]] ?? [] {
            tally.skip("json: " + (c["desc"] as? String ?? "?"), "traces inside a JSON field of consecutive records: we never join JSON events")
        }
        for c in doc["trace_accumulator_limits"] as? [[String: Any]] ?? [] {
            limitCase(c, tally)
        }
        for c in doc["out_plugin_cases"] as? [[String: Any]] ?? [] {
            outPluginCase(c, tally)
        }
        if doc["test_reset"] != nil {
            tally.skip("test_reset", "tests the detector object's reset(); our joiner resets per event and has no such call")
        }
    }

    func trace(_ name: String) -> String { Corpus.text("fluent-plugin-detect-exceptions/traces/\(name).txt") ?? "" }

    /// The plugin's per-line actions, turned into the records they imply: a trace runs from its first
    /// start/inside line to an end line or the next line outside it.
    func lineActions(_ c: [String: Any], _ tally: Tally) {
        let name = "line actions: " + (c["trace"] as? String ?? "?")
        var groups: [[String]] = []
        var inTrace = false
        let p = Pipeline()
        for a in c["line_actions"] as? [[String: Any]] ?? [] {
            let line = chomp(a["line"] as? String ?? "")
            p.feed(line)
            switch a["expected_action"] as? String {
            case "start_trace":
                groups.append([line]); inTrace = true
            case "inside_trace":
                if inTrace { groups[groups.count - 1].append(line) } else { groups.append([line]) }
                inTrace = true
            case "end_trace":
                if inTrace { groups[groups.count - 1].append(line) } else { groups.append([line]) }
                inTrace = false
            default:
                groups.append([line]); inTrace = false
            }
        }
        // Sorted: a batch keeps order within a UTC day, and Go's `log` lines carry their own (2019) day.
        tally.check(name, compare(p.finish().map(\.text).sorted(), groups.map { $0.joined(separator: "\n") }.sorted()))
    }

    /// The plugin cuts a trace at max_lines / max_bytes (each line counted with its "\n", as we do) and
    /// emits the rest line by line; we start a new event there, and the rest of the trace may join into it.
    func limitCase(_ c: [String: Any], _ tally: Tally) {
        let name = "limits: " + (c["test"] as? String ?? "?")
        var limits = JoinLimits()
        if let n = c["max_lines"] as? Int { limits.maxLines = n }
        if let n = c["max_bytes"] as? Int { limits.maxBytes = n }
        let p = Pipeline(limits: limits)
        for m in c["input_messages"] as? [String] ?? [] { p.feedText(trace(m)) }
        let got = p.finish().map(\.text)
        let want = (c["expected_output"] as? [String] ?? []).map(chomp)
        tally.check(name, cutThenSameLines(got, want), difference: "after the cut the plugin emits each remaining line alone; our remaining frame lines join one another")
    }

    /// The first event equals the first wanted record, and the rest holds the same lines in the same order.
    func cutThenSameLines(_ got: [String], _ want: [String]) -> [String] {
        guard let first = got.first, first == want.first else { return ["first event \(got.first.debugDescription) != \(want.first.debugDescription)"] }
        let g = got.dropFirst().joined(separator: "\n"), w = want.dropFirst().joined(separator: "\n")
        return g == w ? [] : ["rest \(g.debugDescription) != \(w.debugDescription)"]
    }

    func outPluginCase(_ c: [String: Any], _ tally: Tally) {
        let test = c["test"] as? String ?? "?"
        let name = "out plugin: " + test
        let config = (c["config"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        if let languages = config["languages"], !(languages.contains("java") && languages.contains("python")) {
            tally.skip(name, "restricts detection to languages \(languages.debugDescription); we detect every language we know")
            return
        }
        if let feed = c["feed_with_stream"] as? [[String]] {
            // The plugin's `stream` key is our container stream: java → stdout, python → stderr, as CRI lines.
            let code = ["java": "stdout", "python": "stderr"]
            let p = Pipeline(format: .cri)
            for item in feed {
                var lines = item[0].split(separator: "\n", omittingEmptySubsequences: false)
                if item[0].hasSuffix("\n") { lines.removeLast() }
                for l in lines { p.feed("2024-01-01T00:00:00.000000000Z \(code[item[1]]!) F \(l)") }
            }
            let want = (c["expected_messages_with_stream"] as? [[String]] ?? []).map { (stream: code[$0[1]]!, text: chomp($0[0])) }
            tally.check(name, compareByStream(p.finish(), want), difference: Self.newlineNote)
            return
        }
        guard let feed = c["feed"] as? [String] else {
            tally.skip(name, "no input transcribed in the corpus")
            return
        }
        var limits = JoinLimits()
        if let n = config["max_lines"].flatMap(Int.init) { limits.maxLines = n }
        let p = Pipeline(limits: limits)
        var pausedAt: Int? = nil
        for item in feed {
            if item.hasPrefix("<sleep") {
                // An idle flush after multiline_flush_interval; a shorter pause than the interval flushes nothing.
                if config["multiline_flush_interval"] != nil { p.decoder.flush(idleSinceNs: readNs); pausedAt = 0 }
                continue
            }
            p.feedText(item)
        }
        let got = p.finish().map(\.text)
        let want = (c["expected_messages"] as? [String] ?? []).map(chomp)
        if pausedAt != nil {
            tally.check(name, cutThenSameLines(got, want), difference: "after the idle flush the plugin emits the stray frames one by one; ours join each other")
        } else {
            tally.check(name, compare(got, want), difference: config["languages"] != nil ? "languages option ignored (the input has only those languages); " + Self.newlineNote : Self.newlineNote)
        }
    }
}
