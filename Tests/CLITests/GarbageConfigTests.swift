import Foundation
import Testing

/// F8 for configs: every command that reads a config file, given random bytes, invalid UTF-8, a half-written
/// file or one carrying terminal escape sequences, exits 2 with a message naming the file, and the message
/// never passes a control character to the terminal (B7 for our own diagnostics).
@Suite struct GarbageConfigTests {
    static let garbage: [(name: String, bytes: [UInt8])] = {
        var rng = SplitMix(state: 0x5EED)
        let random = (0..<3000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        return [
            ("random bytes", random),
            ("invalid UTF-8", Array("server:\n  listen: \"127.0.0.1:0\"\nretention:\n  max_age: 7d\n".utf8) + [0xC3, 0x28, 0xFF, 0x0A]),
            ("cut mid-write", Array("rules:\n  - name: probes\n    match: {message: \"kube-pro".utf8)),
            ("escape sequences", Array("retention:\n  max_age: \"\u{1B}]0;pwned\u{07}\u{1B}[2J7d\"\n".utf8)),
            ("wrong shapes", Array("server: [1, 2]\nretention: 5\nscoring: \"x\"\nrules: {a: b}\n".utf8)),
        ]
    }()

    @Test(arguments: ["ingest", "compact", "serve", "score"])
    func garbageConfigsExit2WithAnEscapedMessage(_ command: String) throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (name, bytes) in Self.garbage {
            let config = root + "/config.yaml"
            _ = FileManager.default.createFile(atPath: config, contents: Data(bytes))
            var args = [command, "--data", root + "/data", "--config", config]
            if command == "serve" { args += ["--listen", "127.0.0.1:0"] }
            if command == "ingest" { args.append("-") }
            let out = try CLIRunner.run(args, stdin: Data("2026-11-20T10:00:00Z INFO x\n".utf8))
            #expect(out.status == 2, "\(command) with \(name): exit \(out.status), \(out.stderr)")
            #expect(out.stderr.contains("config.yaml"), "\(command) with \(name): \(out.stderr)")
            let raw = out.stderr.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
            #expect(raw.isEmpty, "\(command) with \(name) printed control characters: \(out.stderr.debugDescription)")
        }
    }
}
