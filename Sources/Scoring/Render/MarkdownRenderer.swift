/// The report as Markdown: the same tables as the HTML report, charts given as their data tables.
public enum MarkdownRenderer {
    /// The whole report.
    public static func render(_ r: WeeklyReport) -> String {
        var out: [String] = []
        out.append("# \(r.title): \(r.range.label)")
        out.append("")
        out.append("Generated \(FigureText.time(r.generatedNs)) from `\(esc(r.dataDirectory))`. Compared with \(r.previousRange.label).")
        out.append("")
        out.append(contentsOf: section(1))
        out.append(contentsOf: table(ReportText.headlineHeader, r.headline.rows.map(ReportText.headlineRow), numeric: [1, 2, 3]))
        out.append("")
        out.append(contentsOf: section(2))
        if r.noiseByRule.isEmpty {
            out.append("No noise rule removed anything in this range.")
        } else {
            out.append(contentsOf: table(["Rule", "Action", "Events", "Bytes", "Share of received", "Top deployments", "Example"],
                                         r.noiseByRule.map { n in
                                             [esc(n.rule), esc(n.action), FigureText.count(n.events), FigureText.bytes(n.bytes),
                                              FigureText.percent(ofRatio: n.shareOfReceived), esc(ReportText.deployments(n.topDeployments)), esc(n.example)]
                                         }, numeric: [2, 3, 4]))
        }
        out.append("")
        out.append(contentsOf: section(3))
        out.append(contentsOf: suggestions(r))
        out.append(contentsOf: section(4))
        out.append(contentsOf: failures(r.failures))
        out.append(contentsOf: section(5))
        out.append(contentsOf: table(ReportText.summaryHeader, r.scorecards.map { ReportText.summaryRow($0).enumerated().map { $0 == 0 ? esc($1) : $1 } },
                                     numeric: Array(1...7)))
        out.append("")
        for card in r.scorecards { out.append(scorecard(card, level: 3)) }
        out.append(contentsOf: section(6))
        if r.dailyVolume.isEmpty {
            out.append("No data in this range.")
        } else {
            out.append(contentsOf: table(ReportText.dailyHeader, r.dailyVolume.map(ReportText.dailyRow), numeric: [1, 2, 3, 4, 5]))
        }
        out.append("")
        out.append("## Notes")
        out.append("")
        out.append(contentsOf: r.notes.map { "- " + TextEscaping.markdown($0, limit: .max) })
        return out.joined(separator: "\n") + "\n"
    }

    /// One scorecard (also what `logsift score` prints), headed at `level`.
    public static func scorecard(_ card: Scorecard, level: Int = 2) -> String {
        let h = String(repeating: "#", count: level)
        var out: [String] = []
        out.append("\(h) \(esc(ReportText.scopeTitle(card))): \(card.$total) / 100")
        out.append("")
        out.append(contentsOf: table(ReportText.metricHeader, ReportText.metricRows(card), numeric: [1, 2, 3, 4]))
        out.append("")
        out.append("**Transparency**: R = \(card.transparency.ratios.$ratio), points = 5 × R = \(card.transparency.$points).")
        out.append("")
        out.append(contentsOf: table(ReportText.ratioHeader, ReportText.ratioRows(card.transparency.ratios), numeric: [2, 3, 5, 6, 7, 8]))
        out.append("")
        out.append("**Cost**: ratio = \(card.cost.ratios.$ratio), points = 5 × ratio = \(card.cost.$points).")
        out.append("")
        out.append(contentsOf: table(ReportText.costHeader, ReportText.costRows(card.cost.figures), numeric: [1]))
        out.append("")
        out.append(contentsOf: table(ReportText.ratioHeader, ReportText.ratioRows(card.cost.ratios), numeric: [2, 3, 5, 6, 7, 8]))
        out.append("")
        out.append("**Stability**: points = 5 × exp(−events per pod-day ÷ scale) = \(card.stability.$points).")
        out.append("")
        out.append(contentsOf: table(ReportText.stabilityHeader, [ReportText.stabilityRow(card.stability)], numeric: Array(0...9)))
        out.append("")
        out.append("**Security**: \(card.security.classesPresent) class(es) present, points = 5 − \(card.security.classesPresent) = \(card.security.$points).")
        out.append("")
        out.append(contentsOf: table(ReportText.securityHeader, card.security.classes.map { s in
            [s.kind.title, FigureText.count(s.events), FigureText.count(s.fixed), s.present ? "yes" : "no",
             s.firstNs.map(FigureText.time) ?? "", esc(s.firstExample)]
        }, numeric: [1, 2]))
        out.append("")
        out.append("**Parallelism**: points = 5 × share = \(card.parallelism.$points).")
        out.append("")
        out.append(contentsOf: table(ReportText.parallelismHeader, [ReportText.parallelismRow(card.parallelism)], numeric: [0, 1, 2, 3, 4, 6]))
        out.append("")
        out.append("**Learning cost**: declared \(card.learningCost.$declaredPoints) points.")
        out.append("")
        out.append(contentsOf: card.notes.map { "- " + TextEscaping.markdown($0, limit: .max) })
        out.append("")
        return out.joined(separator: "\n")
    }

    private static func suggestions(_ r: WeeklyReport) -> [String] {
        guard !r.suggestions.isEmpty else {
            return ["No retained template is both large enough and outside failure context to suggest a rule.", ""]
        }
        var out = table(["#", "Template", "Action", "Evidence", "Events", "Bytes", "Share of retained", "Per week", "Saving/week with the rule",
                         "Saving/week if dropped", "Deployments"],
                        r.suggestions.map { s in
                            [String(s.rank), esc(s.template), s.action, esc(s.evidence.joined(separator: "; ")), FigureText.count(s.events), FigureText.bytes(s.bytes),
                             FigureText.percent(ofRatio: s.shareOfRetained), FigureText.bytes(s.weeklyBytes),
                             FigureText.bytes(s.projectedWeeklySaving), FigureText.bytes(s.weeklySavingIfDropped), esc(s.topDeployments.joined(separator: ", "))]
                        }, numeric: [0, 4, 5, 6, 7, 8, 9])
        out.append("")
        out.append(RuleSuggestion.rankingNote)
        out.append("")
        out.append("Ready to paste under `rules:` in your config file:")
        out.append("")
        let yaml = r.suggestions.map(\.ruleYAML).joined(separator: "\n")
        let fence = TextEscaping.fence(for: yaml)
        out.append(fence + "yaml")
        out.append(yaml)
        out.append(fence)
        out.append("")
        return out
    }

    private static func failures(_ list: [DeploymentFailures]) -> [String] {
        guard !list.isEmpty else { return ["No failure events in this range.", ""] }
        var out: [String] = []
        for d in list {
            out.append("### \(esc(d.deployment)): \(d.failureEvents) failure events, traceability \(FigureText.percent(ofRatio: d.traceability)) (\(d.failuresTraced) traced)")
            out.append("")
            if d.groups.isEmpty {
                out.append("No groups recorded.")
            } else {
                out.append(contentsOf: table(["Group", "Kind", "Count", "First", "Last", "Introduced in", "Example"], d.groups.map { g in
                    [esc(g.signature), esc(g.kind), FigureText.count(g.count), FigureText.time(g.firstNs), FigureText.time(g.lastNs),
                     esc(g.introducedIn ?? "unknown"), esc(g.example)]
                }, numeric: [2]))
                if d.otherGroups > 0 { out.append(""); out.append("\(d.otherGroups) more group(s) not listed.") }
            }
            out.append("")
        }
        return out
    }

    private static func section(_ n: Int) -> [String] { ["## \(n). \(ReportText.sectionTitles[n - 1])", ""] }

    private static func esc(_ s: String) -> String { TextEscaping.markdown(s) }

    /// A pipe table; `numeric` columns are right-aligned.
    private static func table(_ header: [String], _ rows: [[String]], numeric: [Int]) -> [String] {
        let align = header.indices.map { numeric.contains($0) ? "---:" : "---" }
        return (["| " + header.joined(separator: " | ") + " |", "|" + align.joined(separator: "|") + "|"]
            + rows.map { "| " + $0.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |" })
    }
}
