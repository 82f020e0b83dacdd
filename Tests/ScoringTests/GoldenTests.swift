import Foundation
import Testing
@testable import Scoring

/// The Markdown and JSON reports compared with files under Golden/; `RECORD_GOLDEN=1 swift test --filter ScoringTests`
/// re-records them.
@Suite struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ text: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            print("recorded \(url.path)")
            return
        }
        let expected = try #require(try? String(contentsOf: url, encoding: .utf8), "missing \(url.path); run with RECORD_GOLDEN=1")
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("""
                \(name) differs from the golden file at line \(first + 1) (re-record with RECORD_GOLDEN=1 if intended):
                  got:      \(first < a.count ? String(a[first]) : "<end>")
                  expected: \(first < b.count ? String(b[first]) : "<end>")
                """)
        }
    }

    @Test func markdown() throws {
        let r = SampleReport.report
        try check("report.md", SampleReport.placeholders(MarkdownRenderer.render(r), r))
    }

    @Test func json() throws {
        let r = SampleReport.report
        try check("report.json", SampleReport.placeholders(JSONRenderer.render(r), r))
    }

    @Test func jsonDecodesBackToTheSameDocument() throws {
        let report = SampleReport.report
        let json = JSONRenderer.render(report)
        let back = try JSONDecoder().decode(WeeklyReport.self, from: Data(json.utf8))
        #expect(JSONRenderer.render(back) == json)
        #expect(back.overall.total == FigureText.rounded(report.overall.total!, decimals: 1))
    }

    @Test func numbersAgreeInAllThreeFormats() throws {
        let r = SampleReport.report
        let md = MarkdownRenderer.render(r), html = HTMLRenderer.render(r)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer.render(r).utf8)) as? [String: Any])
        // Section 5: each card's points and total, read back from JSON and printed with the shared helper.
        let cards: [Any] = [doc["overall"] as Any] + ((doc["deployments"] as? [Any]) ?? [])
        for case let card as [String: Any] in cards {
            let scope = ((card["inputs"] as? [String: Any])?["scope"] as? String) == ScoreInputs.overallScope
                ? "overall" : ((card["inputs"] as? [String: Any])?["scope"] as? String ?? "?")
            let metrics = try #require(card["metrics"] as? [[String: Any]])
            let points = metrics.map { ($0["points"] as? Double).map { FigureText.fixed($0, decimals: 2) } ?? "n/a" }
            let total = (card["total"] as? Double).map { FigureText.fixed($0, decimals: 1) } ?? "n/a"
            let cells = [scope] + points + [total]
            #expect(md.contains("| " + cells.joined(separator: " | ") + " |"), "\(cells)")
            let row = "<tr><td>\(scope)</td>" + (points + [total]).map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
            #expect(html.contains(row), "\(row)")
        }
        // Section 1: every headline figure.
        let rows = try #require((doc["headline"] as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(rows.count == r.headline.rows.count)
        for (row, model) in zip(rows, r.headline.rows) {
            let current = try #require(row["current"] as? [String: Any])
            let value = try #require(current["value"] as? Double)
            let unit = try #require(QuantityUnit(rawValue: current["unit"] as? String ?? ""))
            let text = Quantity(value, unit).text
            #expect(text == model.current?.text)
            let cells = "| \(model.label) | \(text) | \(model.previous?.text ?? "n/a") | \(FigureText.change(row["changePercent"] as? Double)) |"
            #expect(md.contains(cells), "\(cells)")
            #expect(html.contains("<td class=\"num\">\(text)</td>"), "\(text)")
        }
    }
}
