import Foundation
import Testing
@testable import Scoring

@Suite struct HTMLReportTests {
    static let hostile = "<img src=x onerror=alert(1)></script>"

    @Test func isSelfContained() {
        let html = HTMLRenderer.render(SampleReport.report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // Charts: the noise bars, one radar per scorecard (overall, web, api), the daily stack.
        #expect(html.components(separatedBy: "<svg").count - 1 == 1 + 3 + 1)
        #expect(html.contains("aria-label=\"Bytes removed by each noise rule\""))
        #expect(html.contains("aria-label=\"Bytes received, retained and stored per day\""))
        for forbidden in ["http://", "https://", "<script", "<link", "src=", "url(", "@import", "<iframe", "<object"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.contains("@media print"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func notApplicableAxesAreHollow() {
        // The api deployment has no failures (T1/T2 n/a, but transparency measured), no overlap: parallelism n/a.
        let api = SampleReport.report.deployments.first { $0.inputs.scope == "api" }!
        #expect(api.notApplicable == [.parallelism])
        let svg = SVGCharts.radar(api)
        #expect(svg.components(separatedBy: "class=\"hollow\"").count - 1 == 1)
        #expect(svg.contains("<title>Parallelism: n/a</title>"))
        #expect(svg.components(separatedBy: "class=\"dot\"").count - 1 == 5)
        #expect(svg.contains("Parallelism n/a</text>"))
    }

    @Test func textFromLogsIsEscaped() {
        var x = SampleReport.inputs
        x.noiseRules[0].rule = Self.hostile
        x.noiseRules[0].example = Self.hostile
        x.templates[0].text = Self.hostile + " <*> done"
        x.failureGroups[0].example = Self.hostile
        x.failureGroups[0].signature = Self.hostile
        x.failureGroups[0].introducedIn = Self.hostile
        x.deployments[0].scope = Self.hostile
        x.failureGroups = x.failureGroups.map { var g = $0; g.deployment = Self.hostile; return g }
        x.overall.securityFindings[1].firstExample = Self.hostile
        x.dataDirectory = "/tmp/" + Self.hostile
        let r = WeeklyReport(x, config: World.budget75)
        let html = HTMLRenderer.render(r)
        #expect(!html.contains("<img"))
        #expect(!html.contains("</script>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;"))
        let md = MarkdownRenderer.render(r)
        #expect(!md.replacingOccurrences(of: "```yaml", with: "").contains("<img src=x onerror=alert(1)></script> &lt;"))
        #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;"))
        // Outside the YAML code block (where it is a quoted string), no raw tag reaches the Markdown.
        let outsideCode = md.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
        #expect(!outsideCode.contains("<img"))
    }

    @Test func controlCharactersAreShownNotPassedThrough() {
        var x = SampleReport.inputs
        x.noiseRules[0].example = "line\u{1B}]8;;evil\u{07}one\nline two"
        let html = HTMLRenderer.render(WeeklyReport(x, config: World.budget75))
        #expect(!html.contains("\u{1B}"))
        #expect(html.contains("line\\e]8;;evil\\x07one\\nline two"))
    }

    /// Renders the report with headless Chromium (Debian's `chromium`) and checks the screenshot. With
    /// `SCORING_HTML_OUT=DIR` the page and its screenshot are kept there for a look.
    @Test func rendersInHeadlessChromium() throws {
        guard let chromium = Chromium.path else {
            print("SKIPPED: chromium not installed")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logsift-html-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("report.html"), blank = dir.appendingPathComponent("blank.html")
        try HTMLRenderer.render(SampleReport.report).write(to: report, atomically: true, encoding: .utf8)
        try "<!DOCTYPE html><html><body></body></html>".write(to: blank, atomically: true, encoding: .utf8)

        let blankPNG = try Chromium.screenshot(chromium, blank, in: dir)
        let reportPNG = try Chromium.screenshot(chromium, report, in: dir)
        let size = try #require(PNG.size(reportPNG), "not a PNG")
        #expect(size.width == Chromium.width && size.height == Chromium.height)
        #expect(PNG.size(blankPNG).map { $0.width == Chromium.width } == true)
        // A blank page compresses to almost nothing; text, tables and charts do not.
        #expect(reportPNG.count > 4 * blankPNG.count, "report \(reportPNG.count) bytes, blank page \(blankPNG.count) bytes")
        if let keep = ProcessInfo.processInfo.environment["SCORING_HTML_OUT"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try HTMLRenderer.render(SampleReport.report).write(toFile: keep + "/report.html", atomically: true, encoding: .utf8)
            try reportPNG.write(to: URL(fileURLWithPath: keep + "/report.png"))
        }
    }
}

/// Headless Chromium, found on PATH.
enum Chromium {
    static let width = 1200, height = 3000

    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(name)") { return "\(d)/\(name)" }
        }
        return nil
    }()

    /// Screenshots `page` to a PNG and returns its bytes. Network access is cut: every host name resolves to
    /// nothing, and background networking is off.
    static func screenshot(_ chromium: String, _ page: URL, in dir: URL) throws -> Data {
        let png = dir.appendingPathComponent(page.deletingPathExtension().lastPathComponent + ".png")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                       "--disable-background-networking", "--disable-component-update", "--no-first-run", "--no-default-browser-check",
                       "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=\(dir.path)/profile",
                       "--screenshot=\(png.path)", "--window-size=\(width),\(height)", page.absoluteString]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let data = FileManager.default.contents(atPath: png.path) else {
            throw ChromiumFailure(status: p.terminationStatus)
        }
        return data
    }

    struct ChromiumFailure: Error { var status: Int32 }
}

/// Reads a PNG's size from its IHDR chunk.
enum PNG {
    static func size(_ data: Data) -> (width: Int, height: Int)? {
        let b = [UInt8](data.prefix(24))
        guard b.count == 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], b[12..<16] == Array("IHDR".utf8)[...] else { return nil }
        func be(_ i: Int) -> Int { b[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }
}
