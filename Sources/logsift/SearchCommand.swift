import ArgumentParser
import Foundation
import LogCore
import LogIndexer
import Query

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find events with KQL: words, \"phrases\", field:value, and/or/not, ranges. Newest first.",
        discussion: CLI.prose("""
        Fields: deployment, namespace, pod, container, stream, level, version, source, message, template, kind
        (kind:failure, kind:oom-killed, ...), rescued, truncated, multiline, and structured fields of JSON/logfmt events
        by name (user_id:42, http.status >= 500). Times: --from/--to/--since or @timestamp >= now-1h in the query.
        Examples:
          logsift search 'deployment:payments and level >= error and "refused"'
          logsift search -B 20 'kind:failure and deployment:checkout'
          logsift search --histogram --interval 1h 'level:error'
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Most events to print.")
    var limit: Int = 100

    @Option(name: .customShort("A"), help: "Also print N events stored after each hit in its stream.")
    var after: Int = 0

    @Option(name: .customShort("B"), help: "Also print N events stored before each hit in its stream.")
    var before: Int = 0

    @Option(name: .customShort("C"), help: "Also print N events before and after each hit.")
    var context: Int?

    @Flag(help: "Print counts per time bucket instead of events.")
    var histogram = false

    @Option(help: "Histogram bucket width (1m, 15m, 1h, 1d); default: chosen for about 60 buckets.")
    var interval: String?

    @Flag(help: "Keep running and print new matching events as they are stored (live tail).")
    var follow = false

    @Option(name: .customLong("poll-ms"), help: ArgumentHelp("How often --follow looks for new events.", visibility: .hidden))
    var pollMs: Int = 500

    @Flag(help: "Also print to stderr how many blocks the search decoded and how long it took.")
    var explain = false

    @Flag(help: "One JSON object per event (or the histogram as one object).")
    var json = false

    @Flag(help: "Print only the number of matching events.")
    var count = false

    @Option(help: "Colour: auto (on a terminal), always, never.")
    var color: String = "auto"

    @Option(help: "Run the saved search NAME (its query and range; query arguments and --from/--to/--since add to it).")
    var saved: String?

    @Option(help: "Save this query and range as NAME (the web UI lists it), then search.")
    var save: String?

    @Argument(help: "The query (KQL); several arguments must all match.")
    var query: [String] = []

    func validate() throws {
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never") }
        guard limit >= 0, after >= 0, before >= 0, (context ?? 0) >= 0 else { throw ValidationError("counts must not be negative") }
        if let i = interval, (CLI.parseDuration(i) ?? 0) <= 0 { throw ValidationError("invalid --interval '\(i)'; use e.g. 1m, 1h, 1d") }
    }

    func run() throws {
        CLI.reuseLargeBuffers()
        let now = CLI.nowNs()
        var query = self.query
        var range = self.range
        let dir = EmbeddedStore.resolveDirectory(dataOptions.data)
        let savedSearches: () throws -> any SavedSearchStore = {
            if let c = dataOptions.clickHouse() { return try ClickHouseSavedSearches(c) }
            return EmbeddedSavedSearches(directory: dir)
        }
        if let name = saved {
            guard let s = try? savedSearches().find(name) else {
                let names = ((try? savedSearches().list()) ?? []).map(\.name)
                CLI.fail("no saved search named '\(name)'" + (names.isEmpty ? "" : "; saved: " + names.joined(separator: ", ")), code: 2)
            }
            query = [s.query] + query
            if range.from == nil, range.to == nil, range.since == nil {
                range.from = s.from.isEmpty ? nil : s.from
                range.to = s.to.isEmpty ? nil : s.to
            }
        }
        let predicate = Self.predicate(query, now: now)
        var request = SearchRequest(predicate: predicate, limit: limit, countOnly: count)
        (request.fromNs, request.toNs) = range.resolve(now: now)
        if let name = save {
            let text = query.filter { !CLI.isBlank($0) }
            let q = text.count > 1 ? text.map { "(\($0))" }.joined(separator: " and ") : text.first ?? ""
            let from = range.since.map { "now-" + $0 } ?? range.from ?? ""
            do {
                try savedSearches().save(SavedSearch(name: name, query: q, from: from, to: range.to ?? "", savedNs: now))
            } catch {
                CLI.fail("\(error)")
            }
            CLI.stderr("saved search '\(name)'")
        }
        let colour = color == "always" || (color == "auto" && CLI.stdoutIsTerminal)
        if let clickHouse = dataOptions.clickHouse() {
            do {
                let reader = try ClickHouseReader(clickHouse)
                if histogram {
                    try printHistogram(reader, request, now: now)
                    return
                }
                let cursor = follow ? try reader.followCursor() : nil
                let result = try reader.search(request)
                if count { CLI.writeStdout("\(result.count)\n") } else { try printEvents(reader, follow ? Array(result.events.reversed()) : result.events, colour: colour) }
                if var cursor {
                    // Runs until stopped: SIGINT/SIGTERM end it with their default action.
                    CLI.unblockTerminationSignals()
                    var matched = result.count
                    while true {
                        Thread.sleep(forTimeInterval: Double(max(50, pollMs)) / 1000)
                        let (events, next) = try reader.follow(request, after: cursor)
                        cursor = next
                        if events.isEmpty { continue }
                        matched += events.count
                        if count { CLI.writeStdout("\(matched)\n") } else { try printEvents(reader, events, colour: colour) }
                    }
                }
            } catch {
                CLI.fail("\(error)")
            }
            return
        }
        do {
            let reader = try EmbeddedStoreReader(directory: dir)
            if histogram {
                try printHistogram(reader, request, now: now)
                return
            }
            let cursor = follow ? try reader.followCursor() : nil
            let started = ContinuousClock.now
            let result = try reader.search(request)
            if explain {
                let d = ContinuousClock.now - started
                CLI.stderr(String(format: "search: %d matches, %d blocks decoded (%d segments) of %d candidates, %.2f ms", result.count,
                                  result.blocksScanned, result.segmentsScanned, result.blocksCandidate, Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000))
            }
            if count {
                CLI.writeStdout("\(result.count)\n")
                if !follow { return }
            } else {
                try printEvents(reader, follow ? Array(result.events.reversed()) : result.events, colour: colour)
            }
            if let cursor { try followLoop(reader, request, cursor, matched: result.count, colour: colour) }
        } catch {
            CLI.fail("\(error)")
        }
    }

    /// The arguments as one executable query (each argument one KQL query; all must match, as the shell split
    /// them), with date math resolved against `now`; exits 2 with the problem shown for a bad query.
    static func predicate(_ query: [String], now: Int64) -> SearchPredicate {
        var nodes: [QueryNode] = []
        for text in query where !CLI.isBlank(text) {
            do {
                nodes.append(try KQL.parse(text))
            } catch {
                CLI.fail("invalid query\n\(error)", code: 2)
            }
        }
        let node: QueryNode = nodes.isEmpty ? .matchAll : nodes.count == 1 ? nodes[0] : .and(nodes)
        let predicate = SearchPredicate(node)
        if let bad = predicate.invalidTimes.first {
            CLI.fail("invalid query\n'\(bad)' is not a time; use RFC 3339 (2026-11-20T10:00:00Z), a date, or now-1h", code: 2)
        }
        return predicate.resolvingTimes(now: now)
    }

    private func printEvents(_ reader: any SearchReader, _ events: [StoredEvent], colour: Bool) throws {
        let a = context ?? after, b = context ?? before
        var out = ""
        func flush() {
            CLI.writeStdout(out)
            out = ""
        }
        for (n, e) in events.enumerated() {
            guard a > 0 || b > 0 else {
                out += (json ? EventPrinter.json(e) : EventPrinter.human(e, color: colour)) + "\n"
                if out.utf8.count > 1 << 16 { flush() }
                continue
            }
            let around = try reader.context(of: e, before: b, after: a)
            if json {
                out += EventPrinter.json(e, before: around.before, after: around.after) + "\n"
            } else {
                if n > 0 { out += Style.dim("--", colour) + "\n" }
                // The container's log, both streams: each line says which.
                for c in around.before { out += "  " + EventPrinter.human(c, color: colour, showStream: true) + "\n" }
                out += (colour ? "\u{1B}[1m>\u{1B}[0m " : "> ") + EventPrinter.human(e, color: colour, showStream: true) + "\n"
                for c in around.after { out += "  " + EventPrinter.human(c, color: colour, showStream: true) + "\n" }
            }
            if out.utf8.count > 1 << 16 { flush() }
        }
        flush()
    }

    /// `matched`: what the first search counted; `--count` prints the running total.
    private func followLoop(_ reader: EmbeddedStoreReader, _ request: SearchRequest, _ start: FollowCursor, matched: Int, colour: Bool) throws {
        // Runs until stopped: SIGINT/SIGTERM end it with their default action.
        CLI.unblockTerminationSignals()
        var cursor = start
        var matched = matched
        while true {
            usleep(useconds_t(max(10, pollMs)) * 1000)
            let (events, next) = try reader.follow(request, after: cursor)
            cursor = next
            if events.isEmpty { continue }
            if count {
                matched += events.count
                CLI.writeStdout("\(matched)\n")
            } else {
                var out = ""
                for e in events { out += (json ? EventPrinter.json(e) : EventPrinter.human(e, color: colour)) + "\n" }
                CLI.writeStdout(out)
            }
        }
    }

    private func printHistogram(_ reader: any SearchReader, _ request: SearchRequest, now: Int64) throws {
        var width: Int64
        if let i = interval {
            width = CLI.parseDuration(i)!
        } else {
            // About 60 buckets over the range (the data's range when open-ended).
            let stats = try reader.stats()
            let lo = request.fromNs == Int64.min ? (stats.oldestNs ?? now) : request.fromNs
            let hi = request.toNs == Int64.max ? (stats.newestNs ?? now) : request.toNs
            let span = max(1, hi - lo)
            let steps: [Int64] = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800, 43200, 86400, 604800].map { $0 * 1_000_000_000 }
            width = steps.first { span / $0 <= 60 } ?? steps.last!
        }
        let h = try reader.histogram(request, intervalNs: width)
        if json {
            let buckets = h.buckets.map { "{\"start\":\"\(Timestamp.rfc3339($0.startNs, fractionDigits: 0))\",\"count\":\($0.count)}" }
            print("{\"interval_seconds\":\(width / 1_000_000_000),\"total\":\(h.total),\"method\":\"\(h.method)\",\"buckets\":[\(buckets.joined(separator: ","))]}")
            return
        }
        let peak = max(1, h.buckets.map(\.count).max() ?? 1)
        let digits = String(peak).count
        var out = ""
        for b in h.buckets {
            let bar = String(repeating: "\u{2588}", count: Int((Double(b.count) / Double(peak) * 50).rounded(.up)))
            out += "\(Timestamp.rfc3339(b.startNs, fractionDigits: 0))  \(String(b.count).leftPadded(digits))  \(bar)\n"
        }
        out += "total \(h.total) in \(h.buckets.count) buckets of \(interval ?? CLI.formatDuration(width))\n"
        CLI.writeStdout(out)
    }
}

/// How events look on a terminal and in `--json`.
enum EventPrinter {
    /// One line (continuation lines indented); `showStream` names stdout too (context mixes both streams).
    static func human(_ e: StoredEvent, color: Bool, showStream: Bool = false) -> String {
        let time = Timestamp.rfc3339(e.ns, fractionDigits: 3)
        var who = e.labels.deployment.isEmpty ? e.labels.source : e.labels.deployment
        if !e.labels.pod.isEmpty { who += "/" + e.labels.pod }
        if !e.labels.stream.isEmpty, showStream || e.labels.stream != "stdout" { who += "[\(e.labels.stream)]" }
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

    static func json(_ e: StoredEvent, before: [StoredEvent], after: [StoredEvent]) -> String { e.json(before: before, after: after) }

    static func json(_ e: StoredEvent) -> String { e.json }
}
