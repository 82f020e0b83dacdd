import Foundation
import Testing

/// An hour of a Go API behind gin whose own request log carries a custom liveness poll, `GET /internal/alive`
/// every 10 s in each of 3 pods, that no default rule knows (the pack drops its `/healthz` probes), beside its
/// business lines; once the poll failed with a 500, and the app warned about a slow poll.
struct AlivePollWorld: IngestWorld {
    let dir: String
    let files: [String]

    static let polls = 3 * 360

    static func gin(_ t: Double, status: Int, latency: String, client: String, path: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy/MM/dd - HH:mm:ss"
        let padded = String(repeating: " ", count: max(0, 12 - latency.count)) + latency
        return "[GIN] \(f.string(from: Date(timeIntervalSince1970: t))) | \(status) | \(padded) |      \(client) | GET      \"\(path)\""
    }

    init() throws {
        dir = CLIRunner.tempDir()
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        var rng = SplitMix(state: 13)
        var files: [String] = []
        let start = ChatterWorld.start, span = ChatterWorld.span
        for (k, p) in ["6b7c8d9e0-a1b2c", "6b7c8d9e0-d3e4f", "6b7c8d9e0-g5h6j"].enumerated() {
            var lines: [(Double, String)] = []
            for i in 0..<Int(span / 10) {
                let t = start + Double(i) * 10 + (i % 2 == 0 ? 0.1 : -0.1) + 0.5
                lines.append((t, Self.gin(t, status: 200, latency: "\(20 + i % 70).\(i % 10)µs", client: "10.244.\(k).1", path: "/internal/alive")))
                lines.append((t + 3, Self.gin(t + 3, status: 200, latency: "\(9 + i % 30).\(i % 7)µs", client: "10.244.\(k).1", path: "/healthz")))
            }
            var t = start
            while true {
                t += -log(1 - rng.unit()) / 0.5
                if t >= start + span { break }
                lines.append((t, "order placed order=ord-\(rng.hex(12)) items=\(1 + rng.next() % 5) total=$\(10 + rng.next() % 400).\(String(format: "%02d", rng.next() % 100)) customer=cus-\(rng.hex(10))"))
            }
            if k == 0 {
                lines.append((start + 1800.2, Self.gin(start + 1800.2, status: 500, latency: "3.2ms", client: "10.244.0.1", path: "/internal/alive")))
                lines.append((start + 1800.3, #"{"level":"warn","msg":"alive poll slow","path":"/internal/alive","took_ms":2300}"#))
            }
            let path = containers + "/api-\(p)_shop_api-\(String(repeating: "b", count: 64)).log"
            try lines.sorted { $0.0 < $1.0 }.map { "\(ChatterWorld.stamp($0.0)) stdout F \($0.1)\n" }.joined()
                .write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        self.files = files
    }
}

@Suite(.serialized) struct RequestLogSuggestionTests {
    static func count(_ data: String, _ query: String) throws -> Int {
        let out = try CLIRunner.run(["search", "--data", data, "--count", query])
        #expect(out.status == 0, "\(out.stderr)")
        return Int(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func chattyRequestLogTemplateGetsARuleThatDropsItsSuccessfulLinesOnly() throws {
        let w = try AlivePollWorld()
        defer { w.remove() }
        let data = try w.ingest(name: "data")
        // The default pack dropped the /healthz probes; the custom poll slipped through.
        #expect(try Self.count(data, "healthz") == 0)
        #expect(try Self.count(data, "alive") == AlivePollWorld.polls + 2)

        let (raw, list) = try ChatterSuggestionTests.suggestions(data)
        let alive = try #require(list.first { ($0["template"] as? String ?? "").contains("\"/internal/alive\"") }, "\(raw)")
        #expect(alive["kind"] as? String == "chatter", "\(raw)")
        #expect(alive["action"] as? String == "drop", "\(raw)")
        #expect(alive["events"] as? Int == AlivePollWorld.polls + 1, "\(raw)")
        let rule = try #require(alive["ruleYAML"] as? String)
        #expect(rule.contains("status: [2xx, 3xx]"), "a request-log template's rule keeps failed requests: \(rule)")
        #expect(rule.contains("contains: \"/internal/alive\""), "and is read only on lines with its path: \(rule)")
        #expect(!list.contains { ($0["template"] as? String ?? "").hasPrefix("order placed") && $0["action"] as? String == "drop" }, "\(raw)")

        // Pasted into a rule file, it drops the successful polls on re-ingest; the failed poll, the warning and
        // the business lines stay.
        let yaml = "rules:\n" + rule.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        let filtered = try w.ingest(config: yaml, name: "filtered")
        #expect(try ChatterSuggestionTests.events(filtered) == ChatterSuggestionTests.events(data) - AlivePollWorld.polls)
        #expect(try Self.count(filtered, "alive") == 2)
        let kept = try CLIRunner.run(["search", "--data", filtered, "--json", "alive"])
        #expect(kept.stdout.contains("| 500 |"), "\(kept.stdout)")
        #expect(kept.stdout.contains("alive poll slow"), "\(kept.stdout)")
        #expect(try Self.count(filtered, "placed") == Self.count(data, "placed"))
        #expect(try Self.count(filtered, "placed") > 1000)
    }
}
