import Foundation
import Testing

/// The message of a structured line: `msg`/`message` before structlog's `event`; logfmt's `msg` as JSON's.
/// Templates and failure group names read like the message.
@Suite struct MessageFieldTests {
    @Test func msgIsTheMessageAndTemplatesReadLikeIt() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = [
            #"{"time":"2026-11-19T10:00:01Z","level":"error","event":"worker","msg":"queue stalled 41 s"}"#,
            #"{"time":"2026-11-19T10:00:02Z","level":"error","event":"worker","msg":"queue stalled 97 s"}"#,
            #"{"timestamp":"2026-11-19T10:00:03Z","level":"error","event":"cache refresh failed for tenant 7"}"#,
            #"time=2026-11-19T10:00:04Z level=error msg="disk quota exceeded on /var/lib/data" user=17"#,
            #"time=2026-11-19T10:00:05Z level=error msg="disk quota exceeded on /var/lib/cache" user=18"#,
        ]
        let data = dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data, "--source", "worker"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(ing.status == 0, "\(ing.stderr)")
        let f = try CLIRunner.run(["failures", "--data", data, "--json"])
        let all = f.stdout
        #expect(all.contains("queue stalled <*> s"), "\(all)")
        #expect(all.contains("cache refresh failed for tenant <*>"), "\(all)")
        #expect(all.contains("disk quota exceeded on <*>"), "\(all)")
        #expect(!all.contains("\"template_text\":\"worker\""), "\(all)")
        // `event` stays a field when `msg` is the message; the message is what --json prints as such.
        let ev = try CLIRunner.run(["search", "--data", data, "--json", "event:worker"])
        #expect(ev.stdout.split(separator: "\n").count == 2, "\(ev.stdout)")
        #expect(ev.stdout.contains("\"message\":\"queue stalled 97 s\""), "\(ev.stdout)")
    }
}
