import ArgumentParser
import Foundation
import LogCore
import LogIndexer
import Query

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find events: words, \"phrases\", field:value (KQL). Newest first.",
        discussion: """
        Words and phrases must all occur (case-insensitive). Fields: deployment, namespace, pod, container,
        stream, level, version, source, message, and structured fields of JSON/logfmt events by name.
        Examples: logsift search 'deployment:payments level:error "connection refused"'
        """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Only events at or after this time (RFC 3339, a date, now-7d).")
    var from: String?

    @Option(help: "Only events at or before this time.")
    var to: String?

    @Option(help: "Only events in this last span (15m, 2h, 7d).")
    var since: String?

    @Option(help: "Most events to print.")
    var limit: Int = 100

    @Flag(help: "One JSON object per event.")
    var json = false

    @Flag(help: "Print only the number of matching events.")
    var count = false

    @Argument(help: "The query (KQL); several arguments must all match.")
    var query: [String] = []

    func run() throws {
        // Each argument is one KQL query; several arguments must all match (as the shell splits them).
        var nodes: [QueryNode] = []
        for text in query where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                nodes.append(try KQL.parse(text))
            } catch {
                CLI.fail("invalid query\n\(error)", code: 2)
            }
        }
        let node: QueryNode = nodes.isEmpty ? .matchAll : nodes.count == 1 ? nodes[0] : .and(nodes)
        var request = SearchRequest(predicate: SearchPredicate(node), limit: max(0, limit), countOnly: count)
        if let s = since {
            guard let d = CLI.parseDuration(s) else { CLI.fail("invalid --since '\(s)'; use e.g. 15m, 2h, 7d", code: 2) }
            request.fromNs = CLI.nowNs() - d
        }
        if let f = from {
            guard let t = CLI.parseTime(f) else { CLI.fail("invalid --from '\(f)'; use RFC 3339 (2026-11-20T10:00:00Z), a date or now-7d", code: 2) }
            request.fromNs = max(request.fromNs, t)
        }
        if let t = to {
            guard let v = CLI.parseTime(t) else { CLI.fail("invalid --to '\(t)'; use RFC 3339, a date or now-1h", code: 2) }
            request.toNs = v
        }
        let dir = EmbeddedStore.resolveDirectory(dataOptions.data)
        let result: SearchResult
        do {
            let reader = try EmbeddedStoreReader(directory: dir)
            result = try reader.search(request)
        } catch {
            CLI.fail("\(error)")
        }
        if count {
            print(result.count)
            return
        }
        var out = ""
        for e in result.events {
            out += json ? EventPrinter.json(e) : EventPrinter.human(e, color: CLI.stdoutIsTerminal)
            out += "\n"
            if out.utf8.count > 1 << 16 { FileHandle.standardOutput.write(out.data(using: .utf8)!); out = "" }
        }
        FileHandle.standardOutput.write(out.data(using: .utf8)!)
    }
}

/// How events look on a terminal and in `--json`.
enum EventPrinter {
    static func human(_ e: StoredEvent, color: Bool) -> String {
        let time = Timestamp.rfc3339(e.ns, fractionDigits: 3)
        var who = e.labels.deployment.isEmpty ? e.labels.source : e.labels.deployment
        if !e.labels.pod.isEmpty { who += "/" + e.labels.pod }
        if !e.labels.stream.isEmpty, e.labels.stream != "stdout" { who += "[\(e.labels.stream)]" }
        let level = e.level == .unknown ? "-" : e.level.description.uppercased()
        var text = TerminalEscaping.escape(e.text, keepNewlines: true)
        text = text.replacingOccurrences(of: "\n", with: "\n    ")
        let marks = e.flags.contains(.rescued) ? " (rescued)" : ""
        let whoSafe = TerminalEscaping.escape(Array(who.utf8))
        if color {
            let c: String = switch e.level {
            case .error, .fatal: "\u{1B}[31m"
            case .warn: "\u{1B}[33m"
            case .debug, .trace: "\u{1B}[2m"
            default: ""
            }
            return "\u{1B}[2m\(time)\u{1B}[0m \(c)\(level.padding(toLength: 5, withPad: " ", startingAt: 0))\u{1B}[0m \u{1B}[36m\(whoSafe)\u{1B}[0m\(marks) \(text)"
        }
        return "\(time) \(level.padding(toLength: 5, withPad: " ", startingAt: 0)) \(whoSafe)\(marks) \(text)"
    }

    static func json(_ e: StoredEvent) -> String {
        let f = EventFields(e)
        let l = e.labels
        var s = "{\"time\":\"\(Timestamp.rfc3339(e.ns))\""
        for (k, v) in [("deployment", l.deployment), ("namespace", l.namespace), ("pod", l.pod), ("container", l.container),
                       ("stream", l.stream), ("level", e.level.description), ("version", l.version), ("source", l.source)] {
            s += ",\"\(k)\":" + JSONWriter.quote(v)
        }
        s += ",\"message\":" + JSONWriter.quote(f.message)
        s += ",\"fields\":{"
        s += f.fields.map { JSONWriter.quote($0.key) + ":" + ($0.value.json ?? JSONWriter.quote($0.value.text)) }.joined(separator: ",")
        s += "},\"format\":\"\(e.format)\""
        if f.message != String(decoding: e.text, as: UTF8.self) { s += ",\"text\":" + JSONWriter.quote(String(decoding: e.text, as: UTF8.self)) }
        if !e.flags.isEmpty { s += ",\"flags\":[" + e.flags.names.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return s + "}"
    }
}
