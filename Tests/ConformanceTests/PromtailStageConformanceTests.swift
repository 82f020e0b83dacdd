import Foundation
import LogCore
import LogIndexer
import Testing

/// Promtail's `docker`, `cri` (with P/F merging) and `multiline` stage cases.
@Suite struct PromtailStageConformanceTests {
    static let file = "grafana-loki/promtail_cri_docker_multiline_stage_cases.json"

    @Test func dockerCRIAndMultilineStages() {
        guard let doc = Corpus.document(Self.file) else { return }
        let tally = Tally(Self.file)
        defer { tally.report() }
        for c in (doc["docker_stage"] as? [String: Any])?["cases"] as? [[String: Any]] ?? [] {
            singleLine("docker: ", c, format: .docker, tally)
        }
        for c in (doc["cri_stage_single_line"] as? [String: Any])?["cases"] as? [[String: Any]] ?? [] {
            singleLine("cri: ", c, format: .cri, tally)
        }
        for c in (doc["cri_stage_partial_tags"] as? [String: Any])?["cases"] as? [[String: Any]] ?? [] {
            partialTags(c, tally)
        }
        for c in (doc["multiline_stage"] as? [String: Any])?["cases"] as? [[String: Any]] ?? [] {
            let config = c["config"] as? [String: Any] ?? [:]
            tally.skip(c["name"] as? String ?? "?", "configurable firstline regex \(config["firstline"] ?? "?") and max_wait_time: we have no arbitrary start regex")
        }
    }

    func singleLine(_ prefix: String, _ c: [String: Any], format: InputFormat, _ tally: Tally) {
        let name = prefix + (c["name"] as? String ?? "?")
        let entry = c["entry"] as? String ?? ""
        let want = c["expected_line"] as? String ?? ""
        let ts = c["expected_timestamp"] as? String ?? ""
        let stream = (c["expected_labels"] as? [String: String])?["stream"] ?? ""
        if entry.contains("\n") {
            // Promtail gets an entry holding a newline; lines reach us split, so check the envelope decoder on the entry.
            let line = Array(entry.utf8)
            let env = line.withUnsafeBufferPointer { CRIEnvelope.decode($0).map { (String(decoding: $0.content, as: UTF8.self), $0.ns, $0.stream) } }
            var problems: [String] = []
            if env?.0 != want { problems.append("content \(String(describing: env?.0))") }
            if env?.1 != rfc3339(ts) { problems.append("time") }
            if env?.2 != 2 { problems.append("stream") }
            tally.check(name, problems)
            return
        }
        let events = Pipeline.run([entry], format: format)
        guard events.count == 1, let e = events.first else { tally.check(name, ["got \(events)"]); return }
        var problems: [String] = []
        var difference: String? = nil
        if stream.isEmpty || (format == .cri && rfc3339(ts) == nil && !entry.hasPrefix("2")) {
            // Invalid envelope: Promtail passes the line on unchanged, and so do we, flagged.
            if e.text != entry { problems.append("raw line not kept: \(e.text.debugDescription)") }
            if !e.flags.contains(.parseError) { problems.append("not flagged parseError") }
            if !stream.isEmpty { difference = "Promtail's CRI regex still splits a line with a bad time (\(want.debugDescription), stream \(stream)); we keep the whole line as plain text flagged parseError" }
            else { difference = "kept as plain text flagged parseError" }
        } else {
            if e.text != chomp(want) { problems.append("text \(e.text.debugDescription) != \(chomp(want).debugDescription)") }
            if e.stream != stream { problems.append("stream \(e.stream)") }
            let bodyTime = want.range(of: " ts=").flatMap { r in rfc3339(String(want[r.upperBound...].prefix { $0 != " " })) }
            if let t = rfc3339(ts) {
                if e.ns != t, e.ns != bodyTime { problems.append("time \(e.ns) != \(ts)") }
                if e.ns == bodyTime { difference = "the body's own ts= time wins over the runtime's time; " }
            } else if e.ns != readNs || !e.flags.contains(.badTimestamp) {
                problems.append("bad time not replaced by read time with badTimestamp")
            }
            if want.hasSuffix("\n") { difference = (difference ?? "") + "Promtail keeps the Docker `log` value's trailing \"\\n\"; we remove it" }
        }
        tally.check(name, problems, difference: difference)
    }

    /// Entries carry label sets; each label set is its own stream, so each gets its own source here.
    func partialTags(_ c: [String: Any], _ tally: Tally) {
        let name = "cri partial: " + (c["name"] as? String ?? "?")
        let entries = c["entries"] as? [[String: Any]] ?? []
        let want = c["expected"] as? [String] ?? []
        let labelSets = Set(entries.map { ($0["labels"] as? [String: String] ?? [:]).description })
        if let maxStreams = c["max_partial_lines"] as? Int, labelSets.count > maxStreams {
            tally.skip(name, "max_partial_lines caps partials in flight across label sets and flushes them all; each of our sources × streams merges independently")
            return
        }
        var limits = JoinLimits()
        if let size = c["max_partial_line_size"] as? Int { limits.maxBytes = size }
        var pipelines: [String: Pipeline] = [:]
        var order: [String] = []
        for e in entries {
            let key = (e["labels"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.description
            if pipelines[key] == nil { pipelines[key] = Pipeline(format: .cri, limits: limits, source: key); order.append(key) }
            pipelines[key]!.feed(e["line"] as? String ?? "")
        }
        let got = order.flatMap { pipelines[$0]!.finish() }
        var problems: [String] = []
        var difference: String? = nil
        // Promtail compares the set of lines.
        var texts = got.map(\.text)
        if c["max_partial_line_size_truncate"] as? Bool == true {
            difference = "a merged line over max_partial_line_size keeps its first bytes and our truncation marker"
            texts = got.map { $0.flags.contains(.truncated) && $0.text.hasSuffix(LineCheck.truncationMarkerText) ? String($0.text.dropLast(LineCheck.truncationMarkerText.count)) : $0.text }
        }
        if texts.sorted() != want.sorted() { problems.append("got \(texts), want \(want)") }
        tally.check(name, problems, difference: difference)
    }
}
