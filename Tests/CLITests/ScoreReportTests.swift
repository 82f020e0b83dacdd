import Foundation
import Testing

/// A world whose scores are known by hand. Week 2026-W46: payments runs ReplicaSet 6c8b7d9f4 (30 info lines,
/// no failures; the rollout is only a new hash in pod names, so its start is not visible). Week 2026-W47: a
/// GitHub Actions job helm-upgrades payments to 1.9.0 at 09:58, its pods (5f7d8c9b6) start at 09:59:10, log
/// a connection string with a password (redacted by the default pack), six "payment authorized" lines and
/// then three errors; kubelet logs a passing readiness probe (dropped by the default pack) and then the pod's
/// OOMKill. Every payments line has its own timestamp and a level.
struct ScoreWorld: IngestWorld {
    let dir: String
    let files: [String]

    init() throws {
        var old = ""
        for i in 0..<30 {
            let t = "2026-11-13T09:\(String(format: "%02d", i)):00"
            old += "\(t).000000000Z stdout F {\"ts\":\"\(t)Z\",\"level\":\"info\",\"msg\":\"payment authorized\",\"id\":\(i)}\n"
        }
        func line(_ t: String, _ level: String, _ body: String) -> String {
            "2026-11-20T\(t).000000000Z stdout F {\"ts\":\"2026-11-20T\(t)Z\",\"level\":\"\(level)\",\(body)}\n"
        }
        var new = line("09:59:10", "info", "\"msg\":\"Starting payments\",\"port\":8080")
        new += line("09:59:20", "info", "\"msg\":\"db connect password=hunter2\"")
        for i in 0..<6 { new += line("10:0\(i):00", "info", "\"msg\":\"payment authorized\",\"id\":\(100 + i)") }
        for i in 0..<3 { new += line("10:0\(6 + i):30", "error", "\"msg\":\"charge failed: card declined\",\"id\":\(200 + i)") }
        let node = """
        Nov 20 10:09:00 node-a kubelet[812]: I1120 10:09:00.000000     812 prober.go:107] "Probe succeeded" probeType="Readiness" pod="shop/payments-5f7d8c9b6-x2x4p"
        Nov 20 10:10:00 node-a kubelet[812]: I1120 10:10:00.000000     812 kubelet.go:2400] "Container terminated" reason="OOMKilled" pod="shop/payments-5f7d8c9b6-x2x4p"

        """
        (dir, files) = try DeploymentWorld.write(old: old, new: new, ci: DeploymentWorld.helmUpgradeJob, node: node)
    }

}

/// A parsed `score --json`.
struct Sheet {
    let cards: [[String: Any]]

    init(_ out: CLIRunner.Output) throws {
        #expect(out.status == 0, "\(out.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        cards = try #require(root["scorecards"] as? [[String: Any]])
    }

    func card(_ scope: String) throws -> Card {
        try Card(#require(cards.first { ($0["inputs"] as? [String: Any])?["scope"] as? String == scope }, "no card for \(scope)"))
    }
}

struct Card {
    let json: [String: Any]
    init(_ json: [String: Any]) { self.json = json }

    func value(_ path: String) -> Any? {
        var node: Any? = json
        for key in path.split(separator: ".") {
            if let i = Int(key) { node = (node as? [Any]).flatMap { i < $0.count ? $0[i] : nil } } else { node = (node as? [String: Any])?[String(key)] }
        }
        return node is NSNull ? nil : node
    }

    func number(_ path: String) -> Double? { (value(path) as? NSNumber)?.doubleValue }
    func int(_ path: String) -> Int64? { (value(path) as? NSNumber)?.int64Value }

    /// T1 … T5 by id.
    func ratio(_ group: String, _ id: String) -> [String: Any]? {
        (value(group + ".ratios.components") as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    func points(_ metric: String) -> Double? {
        (value("metrics") as? [[String: Any]])?.first { $0["metric"] as? String == metric }.flatMap { ($0["points"] as? NSNumber)?.doubleValue }
    }

    /// Σ weight · points / 5 over the metrics that are not n/a, rescaled to 100: the total recomputed from the card.
    var recomputedTotal: Double {
        let metrics = value("metrics") as? [[String: Any]] ?? []
        let measured = metrics.filter { $0["points"] as? NSNumber != nil }
        let weights = measured.reduce(0.0) { $0 + (($1["weight"] as? NSNumber)?.doubleValue ?? 0) }
        return measured.reduce(0.0) { $0 + (($1["weight"] as? NSNumber)!.doubleValue * ($1["points"] as? NSNumber)!.doubleValue / 5) } * 100 / weights
    }
}

@Suite(.serialized) struct ScoreReportTests {
    static let dropChatter = """
        context_rescue: 0
        rules:
          - name: drop-payment-chatter
            match:
              contains: payment authorized
            action: drop
        """

    @Test func fullContextAndVisibleRolloutScoreFivePointsTransparency() throws {
        let w = try ScoreWorld()
        defer { w.remove() }
        let data = try w.ingest()
        let sheet = try Sheet(CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--json"]))
        let p = try sheet.card("payments")
        // 4 failures (3 errors, the OOMKill the kubelet line names), all traced to 1.9.0 and with full context
        // (the dropped probe line came back as context); 1 rollout, visible; 16 events stored whole: 11 of its pods, all
        // structured, and 5 of the CI job that builds it (labelled payments from the line naming its repository), which
        // have a time but no level, so T5 is 11/16. (Points are rounded to 0.01, so a total recomputed from them may
        // differ by up to 0.1.)
        #expect(p.int("inputs.failureEvents") == 4)
        #expect(p.int("inputs.failuresTraced") == 4)
        #expect(p.int("inputs.failuresWithFullContext") == 4)
        #expect(p.int("inputs.rollouts") == 1)
        #expect(p.int("inputs.rolloutsWithVisibleStart") == 1)
        #expect(p.int("inputs.storedEvents") == 16)
        #expect(p.int("inputs.eventsStoredWhole") == 16)
        #expect(p.int("inputs.eventsStructured") == 11)
        for id in ["T1", "T2", "T3", "T4"] { #expect(p.ratio("transparency", id)?["ratio"] as? NSNumber == 1, "\(id)") }
        #expect(p.ratio("transparency", "T5")?["ratio"] as? NSNumber == 0.6875)
        #expect(p.number("transparency.points") == 4.84)
        // Stability: one OOMKill on one pod-day: 5 · e^-1.
        #expect(p.int("stability.counts.oomKilled") == 1)
        #expect(p.number("inputs.podDays") == 1)
        #expect(p.number("stability.points") == 1.84)
        // Security: the password was redacted at ingest: found and fixed, no class present.
        #expect(p.int("security.classes.0.events") == 1)
        #expect(p.int("security.classes.0.fixed") == 1)
        #expect(p.number("security.points") == 5)
        // One rollout overlaps nothing: parallelism n/a; learning cost as declared.
        #expect(p.points("parallelism") == nil)
        #expect(p.points("learning_cost") == 3)
        #expect(p.number("inputs.days") == 7)
        #expect(abs(p.number("total")! - p.recomputedTotal) <= 0.1 + 1e-9)
        // Received = stored + removed − rescued; nothing of payments was removed.
        #expect(p.int("inputs.eventsReceived") == 16)
        #expect(p.int("inputs.bytesReceived") == p.int("inputs.bytesRetained"))

        // The whole store: the same failures and rollout; the probe line was dropped and brought back.
        let all = try sheet.card("(all)")
        #expect(all.int("inputs.failureEvents") == 4)
        for id in ["T1", "T2", "T3"] { #expect(all.ratio("transparency", id)?["ratio"] as? NSNumber == 1, "\(id)") }
        #expect(all.int("inputs.removedByNoise.dropped.events") == 1)
        #expect(all.int("inputs.removedByNoise.rescued.events") == 1)
        #expect(all.int("inputs.eventsReceived") == all.int("inputs.storedEvents"))
        #expect(abs(all.number("total")! - all.recomputedTotal) <= 0.1 + 1e-9)

        // --deployment keeps one card; an unknown one is an error that names the known ones.
        let one = try Sheet(CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--json", "--deployment", "payments"]))
        #expect(one.cards.count == 1)
        let none = try CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--deployment", "nope"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no deployment named nope in this range; deployments: payments"))
        let human = try CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--deployment", "payments"])
        #expect(human.stdout.contains("## Deployment payments: "))
        #expect(human.stdout.contains("| T2 | context retained | 4 | 4 | n / d | 1.0000 |"))
    }

    @Test func contextDroppedByNoiseRulesLosesExactlyTheShareOfT2() throws {
        let w = try ScoreWorld()
        defer { w.remove() }
        let kept = try Sheet(CLIRunner.run(["score", "--data", try w.ingest(), "--week", "2026-W47", "--json"])).card("payments")
        let data = try w.ingest(config: Self.dropChatter, name: "dropped")
        let p = try Sheet(CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--json"])).card("payments")
        // The six "payment authorized" lines before the errors and the probe line before the OOMKill are dropped,
        // and context_rescue: 0 brings none back: no failure keeps its context.
        #expect(p.int("inputs.failureEvents") == 4)
        #expect(p.int("inputs.failuresWithFullContext") == 0)
        #expect(p.ratio("transparency", "T2")?["ratio"] as? NSNumber == 0)
        for id in ["T1", "T3", "T4"] { #expect(p.ratio("transparency", id)?["ratio"] as? NSNumber == 1, "\(id)") }
        #expect(kept.ratio("transparency", "T2")?["ratio"] as? NSNumber == 1)
        // T5: the 5 pod events left are structured, the CI job's 5 (labelled payments) are not.
        #expect(p.ratio("transparency", "T5")?["ratio"] as? NSNumber == 0.5)
        #expect(p.number("transparency.points") == 3.5)
        // What the rule removed is received but not retained.
        #expect(p.int("inputs.storedEvents") == 10)
        #expect(p.int("inputs.removedByNoise.dropped.events") == 6)
        #expect(p.int("inputs.removedByNoise.rescued.events") == 0)
        #expect(p.int("inputs.eventsReceived") == kept.int("inputs.eventsReceived"))
        #expect(p.int("inputs.bytesReceived") == kept.int("inputs.bytesReceived"))

        // A bad config is refused with its place and exit 2.
        try "scoring:\n  weights: {cost: -1}\n".write(toFile: w.dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["score", "--data", data, "--config", w.dir + "/bad.yaml"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.yaml:2:") && bad.stderr.contains("scoring.weights.cost"))
        try "context_rescue: lots\n".write(toFile: w.dir + "/bad2.yaml", atomically: true, encoding: .utf8)
        let bad2 = try CLIRunner.run(["report", "--data", data, "--config", w.dir + "/bad2.yaml"])
        #expect(bad2.status == 2)
        #expect(bad2.stderr.contains("`context_rescue` must be a whole number"))
    }

    @Test func weekWithoutFailuresShowsNotApplicableAndReweights() throws {
        let w = try ScoreWorld()
        defer { w.remove() }
        let data = try w.ingest()
        let p = try Sheet(CLIRunner.run(["score", "--data", data, "--week", "2026-W46", "--json"])).card("payments")
        #expect(p.int("inputs.failureEvents") == 0)
        #expect(p.ratio("transparency", "T1")?["ratio"] == nil || p.ratio("transparency", "T1")?["ratio"] is NSNull)
        #expect(p.ratio("transparency", "T2")?["ratio"] is NSNull)
        #expect(p.ratio("transparency", "T1")?["notApplicableReason"] as? String == "no failure events in range")
        // T3: the old ReplicaSet's start is not in any stored line (0 of 1); T4 = T5 = 1. Their weights 0.2, 0.1,
        // 0.1 are rescaled to 0.5, 0.25, 0.25: R = 0.5, 2.5 points.
        #expect(p.ratio("transparency", "T3")?["ratio"] as? NSNumber == 0)
        #expect(p.ratio("transparency", "T3")?["effectiveWeight"] as? NSNumber == 0.5)
        #expect(p.ratio("transparency", "T4")?["effectiveWeight"] as? NSNumber == 0.25)
        #expect(p.ratio("transparency", "T5")?["effectiveWeight"] as? NSNumber == 0.25)
        #expect(p.number("transparency.points") == 2.5)
        #expect(p.number("stability.points") == 5)
        #expect((p.value("notes") as? [String])?.contains { $0.contains("T1, T2") && $0.contains("spread over T3, T4, T5") } == true)
        // The data starts on Friday 09:00 of that week: the rates divide by the 2.625 days covered.
        #expect(p.number("inputs.days") == 2.625)
        #expect(abs(p.number("total")! - p.recomputedTotal) <= 0.1 + 1e-9)
    }

    @Test func reportFormatsAgreeOnTheHeadline() throws {
        let w = try ScoreWorld()
        defer { w.remove() }
        let data = try w.ingest(config: Self.dropChatter, name: "dropped")
        var outputs: [String: String] = [:]
        for format in ["md", "html", "json"] {
            let file = w.dir + "/report." + format
            let out = try CLIRunner.run(["report", "--data", data, "--week", "2026-W47", "--format", format, "--output", file])
            #expect(out.status == 0, "\(out.stderr)")
            outputs[format] = try String(contentsOfFile: file, encoding: .utf8)
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any])
        let headline = try #require((json["headline"] as? [String: Any])?["rows"] as? [[String: Any]])
        func row(_ key: String) -> (current: Double?, previous: Double?) {
            let r = headline.first { $0["key"] as? String == key }
            return (((r?["current"] as? [String: Any])?["value"] as? NSNumber)?.doubleValue,
                    ((r?["previous"] as? [String: Any])?["value"] as? NSNumber)?.doubleValue)
        }
        // W47: 11 payments lines (6 dropped by the rule), 5 CI lines, 2 kubelet lines (the probe dropped, not rescued).
        #expect(row("events_received").current == 18)
        #expect(row("events_retained").current == 11)
        // W46: the 30 old lines, all dropped by the rule.
        #expect(row("events_received").previous == 30)
        #expect(row("events_retained").previous == 0)
        let received = try #require(row("bytes_received").current)
        let score = try Sheet(CLIRunner.run(["score", "--data", data, "--week", "2026-W47", "--json"])).card("(all)")
        #expect(Double(score.int("inputs.bytesReceived")!) == received)
        // The same figures in Markdown and HTML, printed the same way.
        let bytes = Self.bytesText(Int64(received))
        #expect(outputs["md"]!.contains("| Bytes received | \(bytes) |"))
        #expect(outputs["html"]!.contains(bytes))
        #expect(outputs["md"]!.contains("| Events received | 18 | 30 |"))
        let total = try #require(score.number("total"))
        let overall = (json["overall"] as? [String: Any])?["total"] as? NSNumber
        #expect(overall?.doubleValue == total)
        #expect(outputs["md"]!.contains("| overall |") && outputs["md"]!.contains(String(format: "%.1f |", total)))
        #expect(outputs["html"]!.contains("<svg"))
        // Noise by rule names the rule with its deployment.
        #expect(outputs["md"]!.contains("| drop-payment-chatter | drop | 6 |"))
        #expect(outputs["md"]!.contains("kubelet-probe-succeeded"))
        // Failures by deployment, with the version that introduced them.
        #expect(outputs["md"]!.contains("### payments: 4 failure events, traceability 100.00% (4 traced)"))
        #expect(outputs["md"]!.contains("1.9.0 (rs 5f7d8c9b6)"))
        // Daily volume: every day of the week.
        #expect((json["dailyVolume"] as? [Any])?.count == 7)
        // Without --output the report goes to stdout; a bad format exits 2.
        let stdout = try CLIRunner.run(["report", "--data", data, "--week", "2026-W47"])
        #expect(stdout.stdout == outputs["md"]!.replacingOccurrences(of: Self.generatedLine(outputs["md"]!), with: Self.generatedLine(stdout.stdout)))
        #expect(try CLIRunner.run(["report", "--data", data, "--format", "pdf"]).status == 2)
    }

    /// FigureText.bytes, as the report prints them.
    static func bytesText(_ v: Int64) -> String {
        let d = Double(v)
        if v < 1_000 { return "\(v) B" }
        if d < 1e6 { return String(format: "%.2f kB", d / 1e3) }
        return String(format: "%.2f MB", d / 1e6)
    }

    static func generatedLine(_ md: String) -> String {
        String(md.split(separator: "\n").first { $0.hasPrefix("Generated ") } ?? "")
    }
}

/// Log files of a test world in a temporary directory, ingested into fresh data directories beside them.
protocol IngestWorld {
    var dir: String { get }
    var files: [String] { get }
}

extension IngestWorld {
    /// Ingests the world into a fresh data directory `name`, with `config` (a rule file's text) when given.
    func ingest(config: String? = nil, name: String = "data") throws -> String {
        let data = dir + "/" + name
        var args = ["ingest", "--data", data, "-q"]
        if let config {
            try config.write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
            args += ["--config", dir + "/\(name).yaml"]
        }
        let out = try CLIRunner.run(args + files)
        #expect(out.status == 0, "\(out.stderr)")
        return data
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}
