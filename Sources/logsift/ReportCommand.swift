import ArgumentParser
import Foundation
import LogIndexer
import Reporting
import Scoring

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The weekly report: volume and cost, noise by rule, rule suggestions, failures by deployment, scores, daily volume.",
        usage: "logsift report [<options>]",
        discussion: CLI.prose("""
        By default the last complete ISO week (Monday 00:00 UTC to Monday) before now, compared with the week before.
        --from/--to give any range [from, to) instead (--to is exclusive here; without --to, until now). HTML is one
        self-contained file (inline SVG charts and CSS, nothing fetched); Markdown has the same tables; JSON every number.
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var scoringOptions: ScoringConfigOptions
    @OptionGroup var range: TimeRangeOptions

    @Option(help: "An ISO week, e.g. 2026-W47 (default: the last complete week).")
    var week: String?

    @Option(help: "Output format: md, html or json.")
    var format: String = "md"

    @Option(help: "Write the report to this file instead of stdout.")
    var output: String?

    func run() throws {
        guard let fmt = ReportFormat(rawValue: format) else { CLI.fail("unknown --format '\(format)'; use md, html or json", code: 2) }
        let config = scoringOptions.load()
        let now = CLI.nowNs()
        let dir = dataOptions.storeName
        let text: String
        do {
            let reader = try dataOptions.scoreReader()
            let reportRange: ReportRange
            if week == nil, range.from == nil, range.to == nil, range.since == nil {
                reportRange = ReportRange(week: IsoWeek.lastComplete(before: now))
            } else {
                if week == nil, range.from == nil, range.since == nil { CLI.fail("--to needs --from (or use --week)", code: 2) }
                let (fromNs, toNs) = try ReportRangeArguments.resolve(week: week, range: range, now: now, openEnds: nil)
                reportRange = ReportRange(fromNs: fromNs, toNs: toNs)
            }
            text = fmt.render(try WeeklyReport.read(from: reader, range: reportRange, config: config, nowNs: now, dataDirectory: dir))
        } catch {
            CLI.fail("\(error)")
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            CLI.fail("cannot write \(output): \(error.localizedDescription)")
        }
    }
}
