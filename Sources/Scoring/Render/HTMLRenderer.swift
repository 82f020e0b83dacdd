/// The report as one self-contained HTML file: inline CSS (with print styles) and inline SVG charts, no scripts,
/// no fonts or anything else from the network (a Content-Security-Policy forbids it too).
public enum HTMLRenderer {
    /// The whole report.
    public static func render(_ r: WeeklyReport) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(r.title)): \(h(r.range.label))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>\(h(r.title)): \(h(r.range.label))</h1>
            <p class="meta">Generated \(FigureText.time(r.generatedNs)) from <code>\(h(r.dataDirectory))</code>. Compared with \(h(r.previousRange.label)).</p></header>

            """
        out += section(1, table(ReportText.headlineHeader, r.headline.rows.map(ReportText.headlineRow), numeric: [1, 2, 3]))
        out += section(2, r.noiseByRule.isEmpty ? "<p>No noise rule removed anything in this range.</p>" :
            SVGCharts.noiseBars(r.noiseByRule) + table(["Rule", "Action", "Events", "Bytes", "Share of received", "Top deployments", "Example"],
                r.noiseByRule.map { n in
                    [n.rule, n.action, FigureText.count(n.events), FigureText.bytes(n.bytes), FigureText.percent(ofRatio: n.shareOfReceived),
                     ReportText.deployments(n.topDeployments), n.example]
                }, numeric: [2, 3, 4], code: [6]))
        out += section(3, suggestions(r))
        out += section(4, failures(r.failures))
        var scores = table(ReportText.summaryHeader, r.scorecards.map(ReportText.summaryRow), numeric: Array(1...7))
        for card in r.scorecards { scores += scorecard(card) }
        out += section(5, scores)
        out += section(6, r.dailyVolume.isEmpty ? "<p>No data in this range.</p>" :
            SVGCharts.dailyStack(r.dailyVolume) + table(ReportText.dailyHeader, r.dailyVolume.map(ReportText.dailyRow), numeric: [1, 2, 3, 4, 5]))
        out += "<section id=\"notes\"><h2>Notes</h2><ul>" + r.notes.map { "<li>\(h($0, all: true))</li>" }.joined() + "</ul></section>\n"
        return out + "</body>\n</html>\n"
    }

    /// One scorecard with its radar chart and every figure (also usable on its own by `logsift score`).
    public static func scorecard(_ card: Scorecard) -> String {
        var out = "<div class=\"card\">\n<h3>\(h(ReportText.scopeTitle(card))): \(card.$total) / 100</h3>\n<div class=\"cardtop\">"
        out += SVGCharts.radar(card)
        out += table(ReportText.metricHeader, ReportText.metricRows(card), numeric: [1, 2, 3, 4]) + "</div>\n"
        out += "<p><b>Transparency</b>: R = \(card.transparency.ratios.$ratio), points = 5 × R = \(card.transparency.$points).</p>\n"
        out += table(ReportText.ratioHeader, ReportText.ratioRows(card.transparency.ratios), numeric: [2, 3, 5, 6, 7, 8])
        out += "<p><b>Cost</b>: ratio = \(card.cost.ratios.$ratio), points = 5 × ratio = \(card.cost.$points).</p>\n"
        out += table(ReportText.costHeader, ReportText.costRows(card.cost.figures), numeric: [1])
        out += table(ReportText.ratioHeader, ReportText.ratioRows(card.cost.ratios), numeric: [2, 3, 5, 6, 7, 8])
        out += "<p><b>Stability</b>: points = 5 × exp(−events per pod-day ÷ scale) = \(card.stability.$points).</p>\n"
        out += table(ReportText.stabilityHeader, [ReportText.stabilityRow(card.stability)], numeric: Array(0...9))
        out += "<p><b>Security</b>: \(card.security.classesPresent) class(es) present, points = 5 − \(card.security.classesPresent) = \(card.security.$points).</p>\n"
        out += table(ReportText.securityHeader, card.security.classes.map { s in
            [s.kind.title, FigureText.count(s.events), FigureText.count(s.fixed), s.present ? "yes" : "no", s.firstNs.map(FigureText.time) ?? "", s.firstExample]
        }, numeric: [1, 2], code: [5])
        out += "<p><b>Parallelism</b>: points = 5 × share = \(card.parallelism.$points).</p>\n"
        out += table(ReportText.parallelismHeader, [ReportText.parallelismRow(card.parallelism)], numeric: [0, 1, 2, 3, 4, 6])
        out += "<p><b>Learning cost</b>: declared \(card.learningCost.$declaredPoints) points.</p>\n"
        out += "<ul class=\"notes\">" + card.notes.map { "<li>\(h($0, all: true))</li>" }.joined() + "</ul>\n</div>\n"
        return out
    }

    private static func suggestions(_ r: WeeklyReport) -> String {
        guard !r.suggestions.isEmpty else { return "<p>No retained template is both large enough and outside failure context to suggest a rule.</p>" }
        var out = table(["#", "Template", "Action", "Evidence", "Events", "Bytes", "Share of retained", "Per week", "Saving/week with the rule",
                         "Saving/week if dropped", "Deployments"],
                        r.suggestions.map { s in
                            [String(s.rank), s.template, s.action, s.evidence.joined(separator: "; "), FigureText.count(s.events), FigureText.bytes(s.bytes), FigureText.percent(ofRatio: s.shareOfRetained),
                             FigureText.bytes(s.weeklyBytes), FigureText.bytes(s.projectedWeeklySaving), FigureText.bytes(s.weeklySavingIfDropped),
                             s.topDeployments.joined(separator: ", ")]
                        }, numeric: [0, 4, 5, 6, 7, 8, 9], code: [1])
        out += "<p>" + TextEscaping.html(RuleSuggestion.rankingNote, limit: .max) + "</p>\n"
        out += "<p>Ready to paste under <code>rules:</code> in your config file:</p>\n"
        out += "<pre>" + TextEscaping.html(r.suggestions.map(\.ruleYAML).joined(separator: "\n"), limit: .max, keepNewlines: true) + "</pre>\n"
        return out
    }

    private static func failures(_ list: [DeploymentFailures]) -> String {
        guard !list.isEmpty else { return "<p>No failure events in this range.</p>" }
        var out = ""
        for d in list {
            out += "<h3>\(h(d.deployment)): \(d.failureEvents) failure events, traceability \(FigureText.percent(ofRatio: d.traceability)) (\(d.failuresTraced) traced)</h3>\n"
            if d.groups.isEmpty { out += "<p>No groups recorded.</p>\n"; continue }
            out += table(["Group", "Kind", "Count", "First", "Last", "Introduced in", "Example"], d.groups.map { g in
                [g.signature, g.kind, FigureText.count(g.count), FigureText.time(g.firstNs), FigureText.time(g.lastNs), g.introducedIn ?? "unknown", g.example]
            }, numeric: [2, 3, 4], code: [0, 6])
            if d.otherGroups > 0 { out += "<p>\(d.otherGroups) more group(s) not listed.</p>\n" }
        }
        return out
    }

    private static func section(_ n: Int, _ body: String) -> String {
        "<section id=\"s\(n)\"><h2>\(n). \(ReportText.sectionTitles[n - 1])</h2>\n\(body)</section>\n"
    }

    /// A table; every cell is escaped; `numeric` columns are right-aligned, `code` columns monospaced.
    private static func table(_ header: [String], _ rows: [[String]], numeric: [Int], code: [Int] = []) -> String {
        func cls(_ i: Int) -> String {
            let c = (numeric.contains(i) ? ["num"] : []) + (code.contains(i) ? ["code"] : [])
            return c.isEmpty ? "" : " class=\"\(c.joined(separator: " "))\""
        }
        var out = "<table><thead><tr>" + header.enumerated().map { "<th\(cls($0))>\(h($1))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows { out += "<tr>" + row.enumerated().map { "<td\(cls($0))>\(h($1))</td>" }.joined() + "</tr>\n" }
        return out + "</tbody></table>\n"
    }

    private static func h(_ s: String, all: Bool = false) -> String { TextEscaping.html(s, limit: all ? .max : TextEscaping.cellLimit) }

    static let style = """

        :root { --ink: #1b1f23; --muted: #57606a; --line: #d0d7de; --band: #f6f8fa; }
        * { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
               max-width: 1140px; margin: 24px auto; padding: 0 16px; font-size: 14px; line-height: 1.4; background: #fff; }
        h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; border-bottom: 2px solid var(--ink); padding-bottom: 3px; margin-top: 32px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        .meta { color: var(--muted); margin: 0 0 12px; }
        table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12.5px; }
        th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
        th { background: var(--band); font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; overflow-wrap: anywhere; max-width: 420px; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        pre { background: var(--band); border: 1px solid var(--line); padding: 8px 10px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 8px; margin: 14px 0; }
        .cardtop { display: flex; flex-wrap: wrap; gap: 18px; align-items: center; }
        svg.chart { display: block; margin: 6px 0; max-width: 100%; height: auto; }
        svg .lbl { font-size: 12px; fill: var(--ink); } svg .val { font-size: 11px; fill: var(--muted); }
        svg .ring { fill: none; stroke: var(--line); } svg .grid { stroke: var(--line); }
        svg .axis { stroke: #8c959f; } svg .axis.na { stroke-dasharray: 4 3; }
        svg .hollow { fill: #fff; stroke: #8c959f; stroke-width: 1.5; }
        svg .shape { fill: rgba(46, 117, 182, 0.25); stroke: #2e75b6; stroke-width: 2; } svg .dot { fill: #2e75b6; }
        ul.notes { color: var(--muted); font-size: 12.5px; }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
          h2 { break-after: avoid; } table, svg, .card, pre { break-inside: avoid; }
          .card { border-color: #999; } td.code { max-width: 300px; }
        }

        """
}
