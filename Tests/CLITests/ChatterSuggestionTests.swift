import Foundation
import Testing

/// A day of a shop's containers where business events (checkouts with order ids and amounts, `charge authorized`
/// payments, model inference results) outnumber chatter in bytes, and the chatter comes in the apps' own words
/// that the default pack does not know: a liveness self-check every 10 s, a heartbeat every 5 s, a scrape log
/// every 15 s. Ingested through the CLI; the suggestions must put the chatter first with its evidence, and the
/// pasted rules must remove exactly those templates' events.
struct ChatterWorld: IngestWorld {
    let dir: String
    let files: [String]

    static let start = 1_795_168_800.0  // 2026-11-20T10:00:00Z
    static let span = 3_600.0

    static func stamp(_ t: Double) -> String {
        let secs = Int(t.rounded(.down))
        let ns = Int(((t - Double(secs)) * 1e9).rounded())
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: Date(timeIntervalSince1970: Double(secs))) + String(format: ".%09dZ", ns)
    }

    init() throws {
        dir = CLIRunner.tempDir()
        let containers = dir + "/var/log/containers"
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        var rng = SplitMix(state: 18)
        var files: [String] = []
        func write(pod: String, ns: String, container: String, _ lines: [(Double, String)]) throws {
            let path = containers + "/\(pod)_\(ns)_\(container)-\(String(repeating: "a", count: 64)).log"
            let text = lines.sorted { $0.0 < $1.0 }.map { "\(Self.stamp($0.0)) stdout F \($0.1)\n" }.joined()
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        /// Every `period` seconds, alternately 0.1 s late and early: gaps of period ± 0.2 s.
        func periodic(_ period: Double, _ line: (Int) -> String) -> [(Double, String)] {
            (0..<Int(Self.span / period)).map { i in (Self.start + Double(i) * period + (i % 2 == 0 ? 0.1 : -0.1) + 0.5, line(i)) }
        }
        /// Poisson arrivals at `rate` per second.
        func traffic(_ rate: Double, _ line: (inout SplitMix) -> String) -> [(Double, String)] {
            var t = Self.start, out: [(Double, String)] = []
            while true {
                t += -log(1 - rng.unit()) / rate
                if t >= Self.start + Self.span { return out }
                out.append((t, line(&rng)))
            }
        }
        for p in ["7d9f8b6c5-a1b2c", "7d9f8b6c5-d3e4f", "7d9f8b6c5-g5h6j"] {
            var lines = periodic(10) { i in "liveness check of storefront ok: db=up cache=\(i % 3 == 0 ? "warming" : "up") in \(2 + i % 4)ms" }
            lines += traffic(0.5) { r in
                "checkout completed order=ord-\(r.hex(12)) items=\(1 + r.next() % 5) total=$\(10 + r.next() % 400).\(String(format: "%02d", r.next() % 100)) customer=cus-\(r.hex(10)) in \(20 + r.next() % 80)ms"
            }
            try write(pod: "storefront-" + p, ns: "shop", container: "storefront", lines)
        }
        for p in ["5c6d7e8f9-k2l3m", "5c6d7e8f9-n4p5q"] {
            var lines = periodic(5) { i in "heartbeat to ledger peer ledger-main sent seq=\(i + 1000)" }
            lines += traffic(0.4) { r in
                "charge authorized charge_id=ch_\(r.hex(16)) amount=\(5 + r.next() % 300).\(String(format: "%02d", r.next() % 100)) currency=EUR customer=cus-\(r.hex(10))"
            }
            try write(pod: "payments-" + p, ns: "shop", container: "payments", lines)
        }
        let labels = ["shoes", "bags", "hats", "coats", "socks", "belts", "scarves", "gloves"]
        for p in ["6f7a8b9c0-r6s7t", "6f7a8b9c0-u8v9w"] {
            var lines = periodic(15) { i in "scrape of model-server exporter finished: \(40 + i % 3) samples in \(8 + i % 5)ms" }
            lines += traffic(0.5) { r in
                let id = "\(r.hex(8))-\(r.hex(4))-\(r.hex(4))-\(r.hex(4))-\(r.hex(12))"
                return "inference result request_id=\(id) model=ranker-v3 label=\(labels[Int(r.next() % 8)]) score=0.\(1000 + r.next() % 9000) latency=\(10 + r.next() % 90)ms"
            }
            try write(pod: "recommender-" + p, ns: "ml", container: "model", lines)
        }
        self.files = files
    }

}

@Suite(.serialized) struct ChatterSuggestionTests {
    static func suggestions(_ data: String) throws -> (raw: String, list: [[String: Any]]) {
        let out = try CLIRunner.run(["filters", "suggest", "--data", data, "--json"])
        #expect(out.status == 0, "\(out.stderr)")
        return (out.stdout, try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]]))
    }

    static func events(_ data: String) throws -> Int {
        let out = try CLIRunner.run(["stats", "--data", data, "--json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        return try #require(root["events"] as? Int)
    }

    @Test func chatterRanksFirstWithItsEvidenceAndItsRulesDropExactlyItsEvents() throws {
        let w = try ChatterWorld()
        defer { w.remove() }
        let data = try w.ingest(name: "data")
        let (raw, list) = try Self.suggestions(data)
        func text(_ s: [String: Any]) -> String { s["template"] as? String ?? "" }
        func evidence(_ s: [String: Any]) -> String { (s["evidence"] as? [String] ?? []).joined(separator: "; ") }

        // The business templates are larger than every chatter template, in bytes.
        let business = list.filter { s in ["checkout completed", "charge authorized", "inference result"].contains { text(s).hasPrefix($0) } }
        let chatter = list.filter { s in ["liveness check", "heartbeat to ledger", "scrape of model-server"].contains { text(s).hasPrefix($0) } }
        #expect(business.count == 3, "\(raw)")
        #expect(chatter.count == 3, "\(raw)")
        #expect((business.map { $0["bytes"] as? Int ?? 0 }.min() ?? 0) > (chatter.map { $0["bytes"] as? Int ?? 0 }.max() ?? .max))

        // The top three are the chatter, each dropped; no business template above them, and those only sampled.
        #expect(Set(list.prefix(3).map(text)) == Set(chatter.map(text)), "\(raw)")
        for s in chatter {
            #expect(s["action"] as? String == "drop")
            #expect(s["kind"] as? String == "chatter")
        }
        for s in business {
            #expect(s["action"] as? String == "sample")
            #expect(s["kind"] as? String == "business")
            #expect(evidence(s).contains("business data"), "\(evidence(s))")
        }

        // The evidence in words.
        let rows: [(prefix: String, words: [String])] = [
            ("liveness check", ["every 10 s ± 0.2 s in 3 pods", "2 distinct values", "'liveness' in text"]),
            ("heartbeat to ledger", ["every 5 s ± 0.2 s in 2 pods", "1 distinct value", "'heartbeat' in text"]),
            ("scrape of model-server", ["every 15 s ± 0.2 s in 2 pods", "1 distinct value", "'scrape' in text"]),
        ]
        for row in rows {
            let s = try #require(chatter.first { text($0).hasPrefix(row.prefix) })
            #expect(s["evidence"] as? [String] == row.words, "\(evidence(s))")
        }
        let checkout = try #require(business.first { text($0).hasPrefix("checkout completed") })
        #expect(evidence(checkout).contains("business data: 'checkout' in text"), "\(evidence(checkout))")
        #expect(evidence(checkout).contains("identifiers that rarely repeat"), "\(evidence(checkout))")
        #expect(evidence(checkout).contains("amounts with two decimals"), "\(evidence(checkout))")

        // Stable: the same store gives the same list and names.
        #expect(try Self.suggestions(data).raw == raw)

        // The report lists the same ranking with the evidence (md); its JSON carries the same names in the same order.
        let md = try CLIRunner.run(["report", "--data", data, "--week", "2026-W47", "--format", "md"])
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdout.contains("every 10 s ± 0.2 s in 3 pods; 2 distinct values; 'liveness' in text"), "\(md.stdout)")
        let json = try CLIRunner.run(["report", "--data", data, "--week", "2026-W47", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let reported = try #require(report["suggestions"] as? [[String: Any]])
        #expect(reported.map { $0["templateId"] as? String ?? "" } == list.map { $0["templateId"] as? String ?? "" })

        // Pasting the three suggested rules drops exactly those templates' events.
        let yaml = "rules:\n" + chatter.map { s in
            (s["ruleYAML"] as? String ?? "").split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
        let before = try Self.events(data)
        let filtered = try w.ingest(config: yaml, name: "filtered")
        let removed = chatter.reduce(0) { $0 + ($1["events"] as? Int ?? 0) }
        #expect(removed == 3 * 360 + 2 * 720 + 2 * 240)
        #expect(try Self.events(filtered) == before - removed)
        let after = try Self.suggestions(filtered).list
        #expect(!after.contains { s in chatter.contains { text($0) == text(s) } })
        #expect(Set(after.map(text)).isSuperset(of: business.map(text)))
    }
}

extension SplitMix {
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func hex(_ n: Int) -> String { (0..<n).map { _ in String(next() % 16, radix: 16) }.joined() }
}
