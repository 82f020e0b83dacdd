import Foundation
import Testing

/// `logsift search --save NAME` keeps the query and its range in the store; `--saved NAME` runs it (the web UI's
/// saved searches are the same rows).
@Suite struct SavedSearchCLITests {
    @Test func aSavedSearchRunsFromTheCLI() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = ["2026-11-19T10:00:00Z ERROR checkout charge failed", "2026-11-20T10:00:00Z ERROR checkout charge failed again",
                     "2026-11-20T10:00:01Z INFO checkout fine"].joined(separator: "\n") + "\n"
        let data = dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data, "--deployment", "checkout", "--quiet", "-"], stdin: Data(lines.utf8)).status == 0)
        let saved = try CLIRunner.run(["search", "--data", data, "--save", "recent failures", "--from", "2026-11-20", "level:error"])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stderr.contains("saved search 'recent failures'"))
        #expect(saved.stdout.contains("charge failed again") && !saved.stdout.contains("charge failed\n"))
        // Its query and range, with more query text added.
        let run = try CLIRunner.run(["search", "--data", data, "--saved", "recent failures", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").count == 1 && run.stdout.contains("charge failed again"), "\(run.stdout)")
        let narrower = try CLIRunner.run(["search", "--data", data, "--saved", "recent failures", "--count", "nothing"])
        #expect(narrower.stdout == "0\n")
        // A range given on the command line replaces the saved one.
        let wider = try CLIRunner.run(["search", "--data", data, "--saved", "recent failures", "--from", "2026-11-01", "--count"])
        #expect(wider.stdout == "2\n")
        let missing = try CLIRunner.run(["search", "--data", data, "--saved", "nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no saved search named 'nope'; saved: recent failures"), "\(missing.stderr)")
    }
}
