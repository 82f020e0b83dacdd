import ArgumentParser
import Filters
import Foundation
import LogCore
import LogIndexer
import Reporting
import Scoring

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "The six-metric card (transparency, cost, stability, security, parallelism, learning cost) per deployment and overall.",
        usage: "logsift score [<options>]",
        discussion: CLI.prose("""
        Every input figure is printed next to the points, so that a score can be recomputed by hand (docs: scoring.md).
        Weights, prices, budget, retention and the declared learning cost come from the `scoring:` section of the config
        file. The range is [--from, --to) (--to is exclusive here), the last --since, or an ISO --week; by default all
        stored data.
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var scoringOptions: ScoringConfigOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "An ISO week, e.g. 2026-W47 (instead of --from/--to/--since).")
    var week: String?

    @Option(help: "Only this deployment's card.")
    var deployment: String?

    @Flag(help: "Print the cards as JSON, every figure included.")
    var json = false

    func run() throws {
        let config = scoringOptions.load()
        let now = CLI.nowNs()
        do {
            let reader = try dataOptions.scoreReader()
            let (fromNs, toNs) = try ReportRangeArguments.resolve(week: week, range: range, now: now, openEnds: reader)
            let sheet = try ScoreSheet.read(from: reader, fromNs: fromNs, toNs: toNs, deployment: deployment, config: config, nowNs: now)
            FileHandle.standardOutput.write(Data((json ? sheet.json : sheet.markdown).utf8))
        } catch let e as ScoreSheet.UnknownDeployment {
            CLI.fail(e.description)
        } catch {
            CLI.fail("\(error)")
        }
    }
}

/// `--config` for the commands that score: the `scoring:` settings of the rule file.
struct ScoringConfigOptions: ParsableArguments {
    @Option(help: "Config file with `scoring:` settings (and noise rules) (default: $LOGSIFT_CONFIG).")
    var config: String?

    /// The settings, the defaults without a file; a file that does not load exits 2 with the error.
    func load() -> ScoringConfig {
        guard let path = config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty else { return ScoringConfig() }
        do {
            // The whole file must be valid, rules included, as ingest would read it.
            _ = try FilterConfig.load(path: path)
            return try ScoringConfig.load(path: path)
        } catch {
            CLI.fail("\(error)", code: 2)
        }
    }
}

/// The range of `score` and `report`: --week, or --from/--to/--since with --to exclusive.
enum ReportRangeArguments {
    /// [from, to) in ns; open ends become the store's oldest event and now (or its newest event, if later).
    static func resolve(week: String?, range: TimeRangeOptions, now: Int64, openEnds reader: (any LogReader)?) throws -> (Int64, Int64) {
        if let week {
            guard range.from == nil, range.to == nil, range.since == nil else { CLI.fail("--week cannot be combined with --from, --to or --since", code: 2) }
            guard let w = IsoWeek(week) else { CLI.fail("invalid --week '\(week)'; use an ISO week like 2026-W47", code: 2) }
            return (w.startNs, w.endNs)
        }
        var (fromNs, toNs) = range.resolve(now: now)
        if fromNs == Int64.min || toNs == Int64.max {
            let stats = try reader?.stats()
            if fromNs == Int64.min { fromNs = stats?.oldestNs ?? now }
            if toNs == Int64.max { toNs = max(now, (stats?.newestNs ?? now) + 1) }
        }
        guard fromNs < toNs else { CLI.fail("the range is empty: --from must be before --to", code: 2) }
        return (fromNs, toNs)
    }
}
