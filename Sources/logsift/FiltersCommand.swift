import ArgumentParser
import Filters
import Foundation
import LogCore
import LogIndexer
import Reporting
import Scoring

struct FiltersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Work with noise rules.",
        subcommands: [FiltersTestCommand.self, FiltersSuggestCommand.self]
    )
}

struct FiltersTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Dry run: what the rules would drop, sample, deduplicate, throttle, keep or redact in these files.",
        usage: "logsift filters test [<options>] [<files> ...]",
        discussion: "Nothing is stored. Runs the same decoding and rules as ingest (your --config file first, then the default pack)."
    )

    @Option(help: "Your noise rules (YAML), applied before the default pack (default: $LOGSIFT_CONFIG).")
    var config: String?

    @Flag(name: .customLong("no-defaults"), help: "Test only the rules in --config, without the default pack.")
    var noDefaults = false

    @OptionGroup var inputOptions: InputOptions

    @Argument(help: "Log files to test against ('-' reads stdin).")
    var files: [String] = []

    func run() throws {
        var configs: [FilterConfig] = []
        if let path = config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty {
            do { configs.append(try FilterConfig.load(path: path)) } catch { CLI.fail("\(error)", code: 2) }
        }
        if !noDefaults { configs.append(FilterConfig.defaultPack) }
        guard !configs.isEmpty else { throw ValidationError("--no-defaults needs --config FILE") }
        var options = IngestOptions()
        try inputOptions.apply(to: &options)
        options.filters = FilterConfig.combined(configs)
        let totals = DryRunWriter.Totals()
        let summary = try Ingestor(options: options) { DryRunWriter(totals: totals) }.run(inputs: files)
        for f in summary.failures { CLI.warn(f.description) }
        let (counters, noise) = totals.result
        let total = max(counters.eventBytes + counters.noiseDroppedBytes, 1)
        var lines = [String(format: "%lld events, %.2f MB of event text; the rules would not store %lld events, %.2f MB (%.1f%% of the bytes)",
                            counters.events + counters.noiseDropped, Double(total) / 1e6, counters.noiseDropped,
                            Double(counters.noiseDroppedBytes) / 1e6, 100 * Double(counters.noiseDroppedBytes) / Double(total))]
        if counters.rescued > 0 { lines.append("\(counters.rescued) dropped events would come back as context of \(counters.failures) failures") }
        let byRule = noise.totalsByRule
        for rule in options.filters!.rules {
            guard let c = byRule[rule.name] else { continue }
            let kinds = c.named.filter { $0.1.events > 0 }
            guard !kinds.isEmpty else { continue }
            lines.append("")
            lines.append("\(rule.name) (\(rule.action), \(rule.origin))")
            for (kind, tally) in kinds {
                lines.append(String(format: "  %-13@ %10d events %10.2f MB  %5.1f%% of bytes", kind as NSString, tally.events,
                                    Double(tally.bytes) / 1e6, 100 * Double(tally.bytes) / Double(total)))
            }
            if let s = noise.summaries[rule.name], !s.example.isEmpty {
                lines.append("  e.g. " + TerminalEscaping.escape(Array(s.example.utf8.prefix(200))))
            }
        }
        print(lines.joined(separator: "\n"))
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}

struct FiltersSuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "High-volume, low-information message templates that no rule removes, with ready-to-paste rules.",
        usage: "logsift filters suggest [<options>]",
        discussion: CLI.prose("""
        Looks at what is stored over the last --since of data (counted back from the newest stored event).
        A template is suggested when its events are below warn level, it takes at least --min-share of the
        stored bytes, and it never occurred among the events just before a failure. Suggestions are ranked
        by evidence of chatter (regular gaps per stream, probe/heartbeat/scrape vocabulary, few distinct
        values, debug/trace level, bursts of repeats), the same ranking as the weekly report; templates
        whose variables look like business data come last and are only sampled.
        """)
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "How much data to look at, back from the newest stored event (e.g. 24h, 7d).")
    var since: String = "7d"

    @Option(name: .customLong("min-share"), help: "Smallest share of stored bytes worth a rule, in percent.")
    var minShare: Double = 0.5

    @Option(help: "Most suggestions to print.")
    var limit: Int = 10

    @Flag(help: "Print the suggestions as JSON (the report's `suggestions` objects).")
    var json = false

    func run() throws {
        guard let span = CLI.parseDuration(since) else { CLI.fail("invalid --since '\(since)'; use e.g. 24h, 7d", code: 2) }
        let volumes: [TemplateVolume]
        let newest: Int64
        do {
            let reader = try dataOptions.scoreReader()
            guard let n = try reader.stats().newestNs else { print("no events stored yet"); return }
            newest = n
            volumes = try reader.templateVolumes(fromNs: n - span, toNs: n)
        } catch {
            CLI.fail("\(error)")
        }
        let total = max(volumes.reduce(Int64(0)) { $0 + $1.bytes }, 1)
        let days = max(1.0, Double(min(span, newest - (volumes.map(\.firstNs).min() ?? newest))) / 86_400e9)
        var criteria = SuggestionCriteria()
        criteria.minSharePercent = minShare
        criteria.limit = limit
        // The same ranking as the weekly report's "Rule suggestions".
        let suggestions = RuleSuggestion.suggestions(volumes.map(TemplateCandidate.init), retainedBytes: total, days: days, criteria: criteria)
        if suggestions.isEmpty {
            print(String(format: "no template below warn takes %.1f%% or more of the %.2f MB stored in this span outside failure context", minShare, Double(total) / 1e6))
            return
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: (try? enc.encode(suggestions)) ?? Data(), as: UTF8.self))
            return
        }
        print(RuleSuggestion.rankingNote + "\n")
        var out: [String] = []
        for s in suggestions {
            out.append(String(format: "%d. %@ (%@): %.1f%% of stored bytes, %lld events, %.2f MB/week", s.rank, s.action as NSString, s.kind as NSString,
                              100 * s.shareOfRetained, s.events, Double(s.weeklyBytes) / 1e6))
            out.append("   " + TerminalEscaping.escape(Array(s.template.utf8.prefix(300))))
            out.append("   evidence: " + TerminalEscaping.escape(Array(s.evidence.joined(separator: "; ").utf8)))
            out.append(String(format: "   this rule saves about %.2f MB/week (dropping it, %.2f MB/week):", Double(s.projectedWeeklySaving) / 1e6,
                              Double(s.weeklySavingIfDropped) / 1e6))
            out.append(contentsOf: s.ruleYAML.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
            out.append("")
        }
        print(out.joined(separator: "\n"))
    }
}
