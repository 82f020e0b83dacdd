import Foundation
import Testing

/// Every command's `--help` at 80 columns, compared with Tests/CLITests/Golden/help/*.txt: no line over 80
/// columns, paragraphs wrapped by the argument parser only (not cut where the source had a line break).
/// `LOGSIFT_UPDATE_GOLDEN=1` rewrites the files after a deliberate change.
@Suite struct HelpGoldenTests {
    static let commands = ["", "ingest", "tail", "search", "failures", "deployments", "stats", "check", "export", "compact", "filters",
                           "filters test", "filters suggest", "score", "report", "serve", "migrate"]
    static let golden = CLIRunner.repoRoot.appendingPathComponent("Tests/CLITests/Golden/help")

    @Test(arguments: commands) func helpReadsAt80Columns(_ command: String) throws {
        let args = command.split(separator: " ").map(String.init) + ["--help"]
        let r = try CLIRunner.run(args, env: ["COLUMNS": "80"])
        #expect(r.status == 0)
        let text = r.stdout
        for line in text.split(separator: "\n") {
            #expect(line.count <= 80, "\(command): \(line)")
        }
        // A wrapped paragraph fills its lines: a line much shorter than 80 columns followed by more of the
        // same sentence (a lower-case start) is a cut the source made.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (a, b) in zip(lines, lines.dropFirst()) where !a.isEmpty && a.count < 50 && !a.hasPrefix(" ") && !a.hasSuffix(":") {
            #expect(!(b.first?.isLowercase ?? false), "\(command): '\(a)' / '\(b)'")
        }
        // An example (an indented line) is never wrapped onto an unindented one.
        for (a, b) in zip(lines, lines.dropFirst()) where a.hasPrefix("  logsift ") {
            #expect(b.isEmpty || b.hasPrefix(" "), "\(command): '\(a)' / '\(b)'")
        }
        let file = Self.golden.appendingPathComponent((command.isEmpty ? "logsift" : command.replacingOccurrences(of: " ", with: "-")) + ".txt")
        if ProcessInfo.processInfo.environment["LOGSIFT_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(command) --help changed; run with LOGSIFT_UPDATE_GOLDEN=1 if that is meant")
    }
}
