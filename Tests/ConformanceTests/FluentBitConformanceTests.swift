import Foundation
import LogCore
import LogIndexer
import Testing

/// Fluent Bit's multiline engine (built-in cri, docker, java, python, ruby, go parsers) and in_tail Docker_Mode.
@Suite struct FluentBitConformanceTests {
    static let multilineFile = "fluent-bit/fluent-bit_multiline_cases.json"
    static let tailFile = "fluent-bit/fluent-bit_tail_docker_mode_cases.json"

    /// Fluent Bit keeps the Docker `log` value's "\n" and appends one to joined text lines; we store lines without it.
    static let newlineNote = "Fluent Bit records end with \"\\n\"; ours do not"

    @Test func multilineEngine() {
        guard let doc = Corpus.document(Self.multilineFile) else { return }
        let tally = Tally(Self.multilineFile)
        defer { tally.report() }
        for c in doc["cases"] as? [[String: Any]] ?? [] {
            let name = c["test"] as? String ?? "?"
            let parsers = c["ml_parsers"] as? [String] ?? []
            if let custom = parsers.first(where: { $0.hasPrefix("custom:") }) {
                let type = (c["custom_parser"] as? [String: Any])?["type"] as? String ?? "?"
                tally.skip(name, "\(custom) is a user-defined \(type) parser (\(type == "endswith" ? "endswith rule" : "arbitrary start-state regex")); we have no configurable rules")
                continue
            }
            let input = c["input"] as? [String] ?? []
            let want = (c["expected_records"] as? [String] ?? []).map(chomp)
            let p = Pipeline(format: .auto)
            // Each input is one record as handed to the engine; a trailing "\n" is the line's end.
            for line in input { p.feed(chomp(line)) }
            let events = p.finish()
            let got = events.map(\.text)
            var problems = got.sorted() == want.sorted() ? [] : ["got \(got.map(\.debugDescription)), want \(want.map(\.debugDescription))"]
            // Blocks keep the order within a stream and UTC day.
            for key in Set(events.map(StreamDay.init)) {
                let ours = events.filter { StreamDay($0) == key }.map(\.text)
                if problems.isEmpty, !isSubsequence(ours, of: want) { problems.append("\(key.stream) out of order: \(ours)") }
            }
            tally.check(name, problems, difference: Self.newlineNote + " (compared per record, order only within a stream and day)")
        }
        for c in doc["filter_multiline_partial_message_cases"] as? [[String: Any]] ?? [] {
            tally.skip(c["test"] as? String ?? "?", "Docker fluentd/journald log-driver partial_message metadata records: not an input we read")
        }
    }

    @Test func tailDockerMode() throws {
        guard let doc = Corpus.document(Self.tailFile) else { return }
        let tally = Tally(Self.tailFile)
        defer { tally.report() }
        for c in doc["cases"] as? [[String: Any]] ?? [] {
            let name = c["test"] as? String ?? "?"
            let config = c["tail_config"] as? [String: Any] ?? [:]
            if let parser = config["Docker_Mode_Parser"] as? String {
                tally.skip(name, "Docker_Mode_Parser first-line regex \(parser.prefix(60))…: we have no arbitrary start regex")
                continue
            }
            if config["multiline.parser"] != nil {
                tally.skip(name, "user-defined multiline regex parser over a JSON field; we never join JSON events")
                continue
            }
            let want: [String] = (c["expected_output_records"] as? [String] ?? []).map { record in
                let object = (try? JSONSerialization.jsonObject(with: Data(record.utf8))) as? [String: Any]
                return chomp(object?["log"] as? String ?? "<no log>")
            }
            let got: [String]
            if let lines = c["input_lines"] as? [String] {
                let p = Pipeline(format: config["docker_mode"] as? String == "on" ? .docker : .auto)
                for l in lines { p.feed(l) }
                got = p.finish().map(\.text)
            } else {
                // Read the copied input file through the real line reader (CRLF, empty lines).
                guard let relative = c["input_file"] as? String else { tally.check(name, ["no input"]); continue }
                got = try readThroughLineReader(Corpus.root + "/fluent-bit/" + relative).map(\.text)
            }
            tally.check(name, compare(got, want), difference: Self.newlineNote,
                        knownGap: name == "in_tail_issue_3943" ? "a plain line's trailing \"\\r\" (CRLF file) is kept in the text" : nil)
        }
    }

    func readThroughLineReader(_ path: String) throws -> [Event] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        let p = Pipeline(format: .auto)
        try LineReader(fd: fd, maxLine: JoinLimits().maxBytes).readAll { line, truncated, _, _ in
            p.decoder.line(line, readNs: readNs, truncated: truncated)
        }
        return p.finish()
    }
}

/// The unit within which blocks keep the order of events.
struct StreamDay: Hashable {
    var stream: String
    var day: Int64
    init(_ e: Event) { (stream, day) = (e.stream, e.ns / 86_400_000_000_000) }
}

/// True when `a`'s elements appear in `b` in the same order (not necessarily adjacent).
func isSubsequence(_ a: [String], of b: [String]) -> Bool {
    var rest = b[...]
    for x in a {
        guard let i = rest.firstIndex(of: x) else { return false }
        rest = rest[(i + 1)...]
    }
    return true
}
