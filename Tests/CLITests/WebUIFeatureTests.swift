import Foundation
import Testing
import TestSupport

/// The week of logs the web UI's browser tests look at (scripts/ui-world.py): five deployments rolled out once
/// each, failures after two rollouts, a chatty deployment of 10,000+ events, recent events, markup in a message,
/// a field name and a field value; ingested once with `logsift ingest --no-filters`.
enum UIWorld {
    static let data: String? = {
        let dir = CLIRunner.tempDir()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", CLIRunner.repoRoot.path + "/scripts/ui-world.py", dir]
        let out = Pipe()
        p.standardOutput = out
        guard (try? p.run()) != nil else { return nil }
        let files = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let r = try? CLIRunner.run(["ingest", "--no-filters", "--quiet", "--data", dir + "/data"] + files), r.status == 0 else { return nil }
        return dir + "/data"
    }()

    /// Screenshots for a person to look at: build/test-output/ui/*.png.
    static let output = CLIRunner.repoRoot.path + "/build/test-output/ui"
}

/// Each feature of the web UI in headless Chromium (scripts/ui-test.py drives it over the DevTools protocol and
/// prints PASS/FAIL per check): quick ranges, absolute ranges, UTC, refresh, histogram zoom by drag, the field
/// list's filters and columns, the event's document and context, keyboard use, saved searches, the report tab,
/// failures with their rollout lanes and the rollouts timeline, 10,000 rows, and markup staying text throughout.
@Suite(.serialized) struct WebUIFeatureTests {
    static let chromium = WebUIBrowserTests.chromium

    static let scenarios = ["quick-range", "zoom", "fields", "columns", "context", "saved", "report", "failures", "bulk", "xss"]

    @Test(.enabled(if: chromium != nil, "Chromium is not installed"), arguments: scenarios)
    func scenario(_ name: String) throws {
        let data = try #require(UIWorld.data, "the UI world could not be written and ingested")
        let server = try ServeProcess(data: data)
        defer { _ = server.stop() }
        let profile = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let (status, text) = try runMerged("/usr/bin/env", ["python3", CLIRunner.repoRoot.path + "/scripts/ui-test.py", Self.chromium!,
                                                           "http://127.0.0.1:\(server.port)", profile, UIWorld.output, name])
        let passed = text.split(separator: "\n").filter { $0.hasPrefix("PASS ") }
        #expect(status == 0, "\(name):\n\(text)")
        #expect(!text.contains("FAIL "), "\(name):\n\(text)")
        #expect(passed.count >= 3, "\(name):\n\(text)")
    }
}
