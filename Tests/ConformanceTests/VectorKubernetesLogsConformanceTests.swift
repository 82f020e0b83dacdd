import Foundation
import LogCore
import LogIndexer
import Testing

/// Vector's kubernetes_logs parser (CRI, Docker, picker) and partial-event merger cases.
@Suite struct VectorKubernetesLogsConformanceTests {
    static let file = "vector/vector_kubernetes_logs_parser_cases.json"

    @Test func parsersAndPartialMerger() {
        guard let doc = Corpus.document(Self.file) else { return }
        let tally = Tally(Self.file)
        defer { tally.report() }
        let cri = (doc["cri_parser"] as? [String: Any])?["valid_cases"] as? [[String: Any]] ?? []
        let docker = doc["docker_parser"] as? [String: Any] ?? [:]
        let dockerValid = docker["valid_cases"] as? [[String: Any]] ?? []
        let dockerInvalid = docker["invalid_cases_emit_nothing"] as? [[String: Any]] ?? []

        for (i, c) in cri.enumerated() {
            validCase("cri valid #\(i)", c, format: .cri, tally)
            validCase("picker cri valid #\(i)", c, format: .auto, tally)
        }
        for (i, c) in dockerValid.enumerated() {
            validCase("docker valid #\(i)", c, format: .docker, tally)
            validCase("picker docker valid #\(i)", c, format: .auto, tally)
        }
        for c in dockerInvalid {
            invalidDockerCase(c, tally)
        }
        for c in (doc["partial_events_merger"] as? [String: Any])?["cases"] as? [[String: Any]] ?? [] {
            mergerCase(c, tally)
        }
    }

    /// A valid line gives one event with the message, the runtime's time and the stream.
    func validCase(_ name: String, _ c: [String: Any], format: InputFormat, _ tally: Tally) {
        let expected = c["expected"] as? [String: Any] ?? [:]
        let line: [UInt8]
        if let hex = c["input_bytes_hex"] as? String {
            line = hexBytes(hex)
        } else if let s = inputString(c["input"]) {
            line = Array(s.utf8)
        } else {
            tally.check(name, ["unreadable input"]); return
        }
        // The line reader hands out lines without their newline.
        let fed = line.last == 0x0A ? Array(line.dropLast()) : line
        let wantBytes: [UInt8]
        if let hex = expected["message_bytes_hex"] as? String { wantBytes = hexBytes(hex) }
        else { wantBytes = Array((inputString(expected["message"]) ?? "").utf8) }
        let p = Pipeline(format: format)
        p.feed(bytes: fed)
        let events = p.finish()
        var problems: [String] = []
        guard events.count == 1, let e = events.first else { tally.check(name, ["got \(events)"]); return }
        if e.bytes != wantBytes { problems.append("text \(e.text.prefix(80).debugDescription) != \(String(decoding: wantBytes, as: UTF8.self).prefix(80).debugDescription)") }
        if let ts = expected["timestamp"] as? String, e.ns != rfc3339(ts) { problems.append("time \(e.ns) != \(ts)") }
        if let s = expected["stream"] as? String, e.stream != s { problems.append("stream \(e.stream) != \(s)") }
        if e.flags.contains(.parseError) { problems.append("flagged parseError") }
        if wantBytes != fed, !LineCheck.isValidUTF8(wantBytes.withUnsafeBufferPointer { $0 }), !e.flags.contains(.invalidUTF8) {
            problems.append("invalid UTF-8 not flagged")
        }
        // A pending piece ends the input: the event carries the merged flag whichever way the peer marks it.
        let partial = expected["_partial"] as? Bool ?? false
        var difference: String? = nil
        if format == .docker || (format == .auto && line.first == 0x7B), !partial, e.flags.contains(.merged) {
            difference = "a Docker `log` value without a trailing newline is a fragment for us (Fluent Bit Docker_Mode), not only at 16 KiB as in Vector; alone it is emitted unchanged"
        }
        tally.check(name, problems, difference: difference)
    }

    /// Vector drops these; we keep the raw line flagged parseError, or the `log` value flagged badTimestamp.
    func invalidDockerCase(_ c: [String: Any], _ tally: Tally) {
        let input = c["input"] as? String ?? ""
        let why = c["why"] as? String ?? "?"
        let events = Pipeline.run([input], format: .docker)
        guard events.count == 1, let e = events.first else { tally.check("docker invalid: \(why)", ["got \(events)"]); return }
        var problems: [String] = []
        let hasLog = input.contains("\"log\": \"")
        if hasLog {
            // The log value is usable; only the time is missing or bad.
            if e.text != "Hello world" { problems.append("text \(e.text.debugDescription)") }
            if !e.flags.contains(.badTimestamp) { problems.append("time problem not flagged") }
            if e.ns != readNs { problems.append("time is not the read time") }
        } else {
            if e.text != input { problems.append("raw line not kept: \(e.text.debugDescription)") }
            if !e.flags.contains(.parseError) { problems.append("not flagged parseError") }
        }
        tally.check("docker invalid: \(why)", problems, difference: hasLog
            ? "Vector drops the line; we keep the `log` value at read time, flagged badTimestamp"
            : "Vector drops the line; we keep it as plain text flagged parseError",
            knownGap: hasLog ? "the `log` value has no trailing newline, so it is held as a fragment; flags of held pieces (badTimestamp) are not carried into the merged event (SourceDecoder.flush passes no flags)" : nil)
        // The picker (auto) must not lose it either.
        let auto = Pipeline.run([input], format: .auto)
        tally.check("picker invalid: \(why)", auto.count == 1 ? [] : ["got \(auto)"],
                    difference: "kept as one event (plain, JSON, or Docker with a flag) instead of dropped")
    }

    /// Merger events as CRI lines (`P` for `_partial`), one source file per `file` key.
    func mergerCase(_ c: [String: Any], _ tally: Tally) {
        let name = c["test"] as? String ?? "?"
        let events = c["events"] as? [[String: Any]] ?? []
        let want = c["expected_messages"] as? [String] ?? []
        let maxBytes = c["max_merged_line_bytes"] as? Int
        let oversized = c["oversized"] as? String ?? "Drop"
        let anyPartial = events.contains { ($0["_partial"] as? Bool ?? false) || ($0["%kubernetes_logs._partial"] as? Bool ?? false) }
        if let maxBytes, !anyPartial, want.first.map({ $0.utf8.count > maxBytes }) ?? true || want.first != (events.first?["message"] as? String) {
            tally.skip(name, "a single physical line is cut by the line reader at the limit counted on the raw line with its envelope, not by the merger")
            return
        }
        var limits = JoinLimits()
        if let maxBytes { limits.maxBytes = maxBytes }
        // Each `file` is its own source, as Vector keys partials per file.
        var pipelines: [String: Pipeline] = [:]
        var order: [String] = []
        for e in events {
            let file = e["file"] as? String ?? e["%kubernetes_logs.file"] as? String ?? "-"
            if pipelines[file] == nil { pipelines[file] = Pipeline(format: .cri, limits: limits, source: file); order.append(file) }
            let partial = (e["_partial"] as? Bool ?? false) || (e["%kubernetes_logs._partial"] as? Bool ?? false)
            pipelines[file]!.feed("2016-10-06T00:17:09.669794202Z stdout \(partial ? "P" : "F") \(e["message"] as? String ?? "")")
        }
        let got = order.flatMap { pipelines[$0]!.finish() }
        if maxBytes == nil {
            tally.check(name, compare(got.map(\.text), want) + got.compactMap { $0.ns == rfc3339("2016-10-06T00:17:09.669794202Z") ? nil : "time not the first piece's" })
            return
        }
        // Over the limit: we keep the first maxBytes bytes and our marker, flagged truncated; Vector's Drop emits nothing
        // and its Truncate ends the kept bytes with "..TRUNCATED".
        let suffix = "..TRUNCATED"
        var problems: [String] = []
        if oversized == "Drop" {
            guard got.count == 1 else { tally.check(name, ["got \(got)"]); return }
            if !got[0].flags.contains(.truncated) { problems.append("not flagged truncated") }
            tally.check(name, problems, difference: "Vector drops an oversized merged line; we keep its first \(maxBytes!) bytes flagged truncated")
            return
        }
        guard got.count == want.count else { tally.check(name, ["got \(got), want \(want)"]); return }
        for (g, w) in zip(got, want) {
            let kept = w.hasSuffix(suffix) ? String(w.dropLast(suffix.count)) : w
            if w.hasSuffix(suffix) {
                if !g.text.hasPrefix(kept) || !g.text.hasSuffix(LineCheck.truncationMarkerText) || !g.flags.contains(.truncated) {
                    problems.append("\(g.text.debugDescription) does not keep \(kept.debugDescription) plus our marker")
                }
            } else if g.flags.contains(.truncated), g.text.hasSuffix(LineCheck.truncationMarkerText) {
                // Vector adds no suffix when it does not fit in the limit; we always add our marker.
                if String(g.text.dropLast(LineCheck.truncationMarkerText.count)) != w { problems.append("\(g.text.debugDescription) does not keep \(w.debugDescription)") }
            } else if g.text != w {
                problems.append("\(g.text.debugDescription) != \(w.debugDescription)")
            }
        }
        tally.check(name, problems, difference: want.contains { $0.hasSuffix(suffix) }
            ? "Vector keeps limit-11 bytes then \"..TRUNCATED\"; we keep the limit's bytes then \"\(LineCheck.truncationMarkerText)\"" : nil)
    }
}
