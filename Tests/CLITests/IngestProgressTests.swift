import Foundation
import Testing

/// `ingest` shows its progress on a terminal (bytes, MB/s, stored and dropped, ETA when the size is known) and
/// erases it at the end; nothing of it when stderr is not a terminal or with --quiet. The terminal is a real
/// pseudo-terminal from util-linux `script`.
@Suite struct IngestProgressTests {
    static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func onTerminal(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: script!)
        p.arguments = ["-qec", command, "/dev/null"]
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = Pipe()
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    @Test(.enabled(if: script != nil, "util-linux script is not installed")) func progressOnATerminalOnly() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/app.log"
        let lines = (0..<20_000).map { "2026-11-20T10:00:\(String(format: "%02d", $0 % 60))Z INFO request \($0) served in \($0 % 97) ms" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let shown = try Self.onTerminal("LOGSIFT_PROGRESS_MS=0 '\(CLIRunner.binary)' ingest --no-filters --data '\(dir)/a' '\(log)'")
        #expect(shown.contains("\r\u{1B}[K"), "\(shown.debugDescription)")
        #expect(shown.contains(" MB of ") && shown.contains(" MB/s, ") && shown.contains(" stored, ") && shown.contains(" dropped"), "\(shown)")
        #expect(shown.contains("ingested 20000 events"), "\(shown)")
        let progressLines = shown.components(separatedBy: "\r\u{1B}[K").filter { $0.contains(" stored, ") }
        #expect(progressLines.allSatisfy { $0.count <= 80 }, "\(progressLines)")
        let quiet = try Self.onTerminal("LOGSIFT_PROGRESS_MS=0 '\(CLIRunner.binary)' ingest --quiet --no-filters --data '\(dir)/b' '\(log)'")
        #expect(quiet.isEmpty, "\(quiet.debugDescription)")
        let piped = try CLIRunner.run(["ingest", "--no-filters", "--data", dir + "/c", log], env: ["LOGSIFT_PROGRESS_MS": "0"])
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains(" stored, "), "\(piped.stderr)")
        #expect(piped.stderr.contains("ingested 20000 events"))
    }
}
