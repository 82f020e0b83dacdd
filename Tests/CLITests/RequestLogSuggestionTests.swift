import Foundation
import Testing

/// An Express service (morgan's `dev` format) whose liveness probe hits `/healthz` (the default pack drops it) and
/// whose sidecar polls a custom `/internal/alive` every 10 s (no default rule knows it): `filters suggest` proposes
/// a rule for the poll, and that rule drops exactly the poll on re-ingest while the API traffic stays.
struct RequestLogWorld: IngestWorld {
    let dir: String
    let files: [String]
    static let polls = 360, probes = 360

    init() throws {
        dir = CLIRunner.tempDir()
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        var rng = SplitMix(state: 7)
        var lines: [(Double, String)] = []
        for i in 0..<Self.polls { lines.append((ChatterWorld.start + Double(i) * 10 + 0.3, "GET /internal/alive 200 0.\(3 + i % 2) ms - 2")) }
        for i in 0..<Self.probes { lines.append((ChatterWorld.start + Double(i) * 10 + 5.1, "GET /healthz 200 0.\(2 + i % 3) ms - 2")) }
        var t = ChatterWorld.start
        while t < ChatterWorld.start + ChatterWorld.span {
            t += -log(1 - rng.unit()) / 0.5
            let id = rng.hex(10)
            lines.append((t, "POST /api/orders/\(id) 201 \(10 + rng.next() % 90).\(rng.next() % 10) ms - \(200 + rng.next() % 900)"))
        }
        let path = containers + "/orders-7d9f8b6c5-k2l3m_shop_orders-\(String(repeating: "b", count: 64)).log"
        let text = lines.sorted { $0.0 < $1.0 }.map { "\(ChatterWorld.stamp($0.0)) stdout F \($0.1)\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        files = [path]
    }
}

@Suite(.serialized) struct RequestLogSuggestionTests {
    @Test func aChattyRequestTemplateTheDefaultPackMissesGetsARuleThatDropsIt() throws {
        let w = try RequestLogWorld()
        defer { w.remove() }
        let data = try w.ingest()
        // The default pack already dropped the /healthz probes.
        let probes = try CLIRunner.run(["search", "--data", data, "--count", "healthz"])
        #expect(probes.stdout == "0\n")
        let (raw, list) = try ChatterSuggestionTests.suggestions(data)
        let poll = try #require(list.first { ($0["template"] as? String ?? "").contains("/internal/alive") }, "\(raw)")
        #expect(list.first.map { $0["template"] as? String } == poll["template"] as? String, "the poll ranks first: \(raw)")
        #expect(poll["action"] as? String == "drop")
        #expect(poll["events"] as? Int == RequestLogWorld.polls)
        #expect(!list.contains { ($0["template"] as? String ?? "").contains("/api/orders") && $0["action"] as? String == "drop" })

        let before = try ChatterSuggestionTests.events(data)
        let yaml = "rules:\n" + (poll["ruleYAML"] as? String ?? "").split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        let filtered = try w.ingest(config: yaml, name: "filtered")
        #expect(try ChatterSuggestionTests.events(filtered) == before - RequestLogWorld.polls)
        #expect(try CLIRunner.run(["search", "--data", filtered, "--count", "\"/internal/alive\""]).stdout == "0\n")
        #expect(try CLIRunner.run(["search", "--data", filtered, "--count", "orders"]).stdout
                == CLIRunner.run(["search", "--data", data, "--count", "orders"]).stdout)
    }
}
