import ArgumentParser
import Filters
import Foundation
import LogCore
import LogIndexer

struct FiltersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Work with noise rules.",
        subcommands: [FiltersTestCommand.self]
    )
}

struct FiltersTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Dry run: what the rules would drop, sample, deduplicate, throttle, keep or redact in these files.",
        discussion: "Nothing is stored. Runs the same decoding and rules as ingest (your --config file first, then the default pack)."
    )

    @Option(help: "Your noise rules (YAML), applied before the default pack (default: $LOGSIFT_CONFIG).")
    var config: String?

    @Flag(name: .customLong("no-defaults"), help: "Test only the rules in --config, without the default pack.")
    var noDefaults = false

    @Option(help: "Input format: \(InputFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var format: String = "auto"

    @Argument(help: "Log files to test against ('-' reads stdin).")
    var files: [String] = []

    func run() throws {
        guard let fmt = InputFormat(rawValue: format) else { throw ValidationError("unknown --format '\(format)'") }
        var configs: [FilterConfig] = []
        if let path = config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty {
            do { configs.append(try FilterConfig.load(path: path)) } catch { CLI.fail("\(error)", code: 2) }
        }
        if !noDefaults { configs.append(FilterConfig.defaultPack) }
        guard !configs.isEmpty else { throw ValidationError("--no-defaults needs --config FILE") }
        var options = IngestOptions()
        options.format = fmt
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
