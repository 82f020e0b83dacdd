import Foundation
import LogCore
import LogIndexer
import Testing

/// The peers' test material: `<repo>/../shared/corpus`, or `$LOGSIFT_SHARED/corpus`.
enum Corpus {
    static let root: String = {
        if let shared = ProcessInfo.processInfo.environment["LOGSIFT_SHARED"], !shared.isEmpty {
            return shared + "/corpus"
        }
        // This file is <repo>/Tests/ConformanceTests/Support.swift.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/corpus").path
    }()

    /// The parsed JSON document at `relative`, or nil after printing a SKIPPED line when it is missing.
    static func document(_ relative: String) -> [String: Any]? {
        let path = root + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else {
            print("SKIPPED: ../shared/corpus/\(relative) not found (looked at \(path))")
            return nil
        }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            Issue.record("../shared/corpus/\(relative) is not a JSON object")
            return nil
        }
        return doc
    }

    /// The text of a file beside the JSON documents, e.g. a trace.
    static func text(_ relative: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Counts a peer file's cases: passed, failed, skipped with a reason, and documented differences.
final class Tally {
    let file: String
    private(set) var passed = 0
    private(set) var failed = 0
    private(set) var skipped: [(name: String, reason: String)] = []
    private(set) var differences: [(name: String, note: String)] = []
    private(set) var gaps: [(name: String, reason: String, problems: [String])] = []

    init(_ file: String) { self.file = file }

    /// Records one case: `problems` empty means it passed. `difference` notes where we deliberately differ.
    /// `knownGap` names a gap in logsift: the case's failure is recorded as a known issue and reported.
    func check(_ name: String, _ problems: [String], difference: String? = nil, knownGap: String? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) {
        if !problems.isEmpty, let knownGap {
            gaps.append((name, knownGap, problems))
            withKnownIssue(Comment(rawValue: knownGap)) { Issue.record("\(file) · \(name): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation) }
            return
        }
        if problems.isEmpty {
            passed += 1
            if let difference { differences.append((name, difference)) }
        } else {
            failed += 1
            Issue.record("\(file) · \(name): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
        }
    }

    func skip(_ name: String, _ reason: String) { skipped.append((name, reason)) }

    /// Prints the per-file summary the conformance report is built from.
    func report() {
        let total = passed + failed + skipped.count + gaps.count
        print("CONFORMANCE \(file): passed \(passed) / total \(total), failed \(failed), known gaps \(gaps.count), skipped \(skipped.count)")
        for g in gaps { print("  known gap \(g.name): \(g.reason)") }
        for s in skipped { print("  skipped \(s.name): \(s.reason)") }
        for d in differences { print("  documented difference \(d.name): \(d.note)") }
    }
}

/// One event as the pipeline stores it.
struct Event: CustomStringConvertible {
    var stream: String
    var ns: Int64
    var flags: EventFlags
    var format: BodyFormat
    var text: String
    var bytes: [UInt8]

    var description: String { "[\(stream.isEmpty ? "-" : stream)] \(text.debugDescription)" }
}

/// The read time every fed line gets: 2026-11-19T12:00:00Z.
let readNs: Int64 = 1_795_089_600_000_000_000

/// Drives one source through the real decode → merge → join stages into a batch, without a store.
final class Pipeline {
    let builder = BatchBuilder()
    let decoder: SourceDecoder

    init(format: InputFormat = .auto, limits: JoinLimits = JoinLimits(), source: String = "conformance") {
        decoder = SourceDecoder(labels: StreamLabels(source: source), format: format, limits: limits, sink: builder)
    }

    /// Feeds one physical line (without its newline).
    func feed(_ line: String) { feed(bytes: Array(line.utf8)) }

    func feed(bytes: [UInt8]) {
        var b = bytes
        b.withUnsafeMutableBufferPointer { decoder.line(UnsafeBufferPointer($0), readNs: readNs, truncated: false) }
    }

    /// Feeds text that may hold several lines, split at "\n" as the line reader would; a final "\n" ends the last line.
    func feedText(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") { lines.removeLast() }
        for l in lines { feed(l) }
    }

    /// Flushes pending events and returns all events. Blocks group events per stream and UTC day, so order
    /// is kept within a stream and day, not across them.
    func finish() -> [Event] {
        decoder.flush()
        var out: [Event] = []
        for block in builder.takeBatch().blocks {
            var off = 0
            for i in 0..<block.count {
                let n = Int(block.lengths[i])
                let bytes = Array(block.bodies[off..<(off + n)])
                out.append(Event(stream: block.labels.stream, ns: block.timestamps[i], flags: EventFlags(rawValue: block.flags[i]),
                                 format: BodyFormat(rawValue: block.formats[i])!, text: String(decoding: bytes, as: UTF8.self), bytes: bytes))
                off += n
            }
        }
        return out
    }

    /// Feeds `lines` into a fresh pipeline and returns its events.
    static func run(_ lines: [String], format: InputFormat = .auto, limits: JoinLimits = JoinLimits()) -> [Event] {
        let p = Pipeline(format: format, limits: limits)
        for l in lines { p.feed(l) }
        return p.finish()
    }
}

/// Compares texts in order; returns what differs.
func compare(_ got: [String], _ want: [String]) -> [String] {
    if got == want { return [] }
    return ["got \(got.count) events \(got.map(\.debugDescription)), want \(want.count) \(want.map(\.debugDescription))"]
}

/// Compares texts per stream as multisets (the batch does not keep order across streams and days).
func compareByStream(_ got: [Event], _ want: [(stream: String, text: String)]) -> [String] {
    let g = got.map { "\($0.stream)\u{1}\($0.text)" }.sorted()
    let w = want.map { "\($0.stream)\u{1}\($0.text)" }.sorted()
    if g == w { return [] }
    return ["got \(got.map(\.description)), want \(want.map { "[\($0.stream)] \($0.text.debugDescription)" })"]
}

/// Drops one trailing "\n" (peers keep the Docker `log` newline or append one; we store lines without it).
func chomp(_ s: String) -> String { s.hasSuffix("\n") ? String(s.dropLast()) : s }

/// RFC 3339 with optional fraction (up to 9 digits) and `Z` or `±hh:mm`, parsed independently of LogCore.
func rfc3339(_ s: String) -> Int64? {
    let c = Array(s.utf8)
    func num(_ a: Int, _ n: Int) -> Int? {
        guard a + n <= c.count else { return nil }
        var v = 0
        for k in a..<(a + n) { guard c[k] >= 0x30, c[k] <= 0x39 else { return nil }; v = v * 10 + Int(c[k] - 0x30) }
        return v
    }
    guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2) else { return nil }
    var i = 19
    var frac: Int64 = 0
    if i < c.count, c[i] == 0x2E {
        i += 1
        var digits = 0
        while i < c.count, c[i] >= 0x30, c[i] <= 0x39 { if digits < 9 { frac = frac * 10 + Int64(c[i] - 0x30); digits += 1 }; i += 1 }
        while digits < 9 { frac *= 10; digits += 1 }
    }
    var offset = 0
    if i < c.count, c[i] == 0x2B || c[i] == 0x2D, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
        offset = (oh * 60 + om) * 60 * (c[i] == 0x2D ? -1 : 1)
    }
    // Days from civil (Howard Hinnant's algorithm).
    let yy = mo <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146_097 + doe - 719_468
    let secs = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + se - offset)
    return secs * 1_000_000_000 + frac
}

/// Bytes from a hex string.
func hexBytes(_ s: String) -> [UInt8] {
    let c = Array(s.utf8)
    func v(_ b: UInt8) -> UInt8 { b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10 }
    return stride(from: 0, to: c.count - 1, by: 2).map { v(c[$0]) << 4 | v(c[$0 + 1]) }
}

/// Rust's `make_long_string`: the characters of `base` cycled to `total` characters.
func generated(_ any: Any?) -> String? {
    guard let g = (any as? [String: Any])?["generate"] as? [String: Any], let base = g["repeat_chars_of"] as? String,
          let total = g["total_chars"] as? Int else { return nil }
    let chars = Array(base)
    return String((0..<total).map { chars[$0 % chars.count] })
}

/// A case input that is a string, a `{"concat": [...]}` of strings and generators, or a generator.
func inputString(_ any: Any?) -> String? {
    if let s = any as? String { return s }
    if let parts = (any as? [String: Any])?["concat"] as? [Any] {
        var out = ""
        for p in parts { guard let s = inputString(p) ?? generated(p) else { return nil }; out += s }
        return out
    }
    return generated(any)
}
