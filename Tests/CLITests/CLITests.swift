import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    let fixtures = CLIRunner.repoRoot.appendingPathComponent("fixtures").path

    func fixtureFiles() throws -> [String] {
        var files: [String] = []
        for dir in ["var/log/containers", "ci", "node"] {
            let d = fixtures + "/" + dir
            for f in try FileManager.default.contentsOfDirectory(atPath: d).sorted() where f.hasSuffix(".log") { files.append(d + "/" + f) }
        }
        return files
    }

    @Test func ingestFixturesThenSearchByDeploymentLevelAndPhrase() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ing = try CLIRunner.run(["ingest", "--data", data, "--no-filters"] + (try fixtureFiles()))
        #expect(ing.status == 0, "\(ing.stderr)")
        #expect(ing.stderr.contains("ingested 61 events"))

        let errors = try CLIRunner.run(["search", "--data", data, "--json", "level:error"])
        #expect(errors.status == 0)
        let objects = errors.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.count == 5)
        for key in ["time", "deployment", "namespace", "pod", "container", "stream", "level", "version", "source", "message", "fields"] {
            #expect(objects.allSatisfy { $0[key] != nil }, "missing \(key)")
        }
        // Newest first.
        let times = objects.map { $0["time"] as! String }
        #expect(times == times.sorted(by: >))

        let pay = try CLIRunner.run(["search", "--data", data, "--json", "deployment:payments", "\"connection refused\""])
        let payObjects = pay.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(payObjects.count == 1)
        #expect(payObjects.first?["message"] as? String == "charge failed: connection refused")
        #expect(payObjects.first?["version"] as? String == "7d4b9c8f5d")
        #expect((payObjects.first?["fields"] as? [String: Any])?["user_id"] as? Int == 1042)

        // payments' pods (30 events) and its Jenkins build (11), labelled from the line naming its repository.
        let count = try CLIRunner.run(["search", "--data", data, "--count", "deployment:payments"])
        #expect(count.stdout == "41\n")
        let structured = try CLIRunner.run(["search", "--data", data, "--count", "user_id:1042"])
        #expect(structured.stdout == "1\n")
        let since = try CLIRunner.run(["search", "--data", data, "--count", "--from", "2026-11-19T10:01:00Z", "deployment:payments"])
        #expect(since.stdout == "5\n")
    }

    @Test func defaultNoiseRulesDropProbesAndRescueAFailuresContext() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ing = try CLIRunner.run(["ingest", "--data", data] + (try fixtureFiles()))
        #expect(ing.status == 0, "\(ing.stderr)")
        #expect(ing.stderr.contains("ingested 59 events"), "\(ing.stderr)")
        #expect(ing.stderr.contains("12 dropped as noise, 10 rescued"), "\(ing.stderr)")
        // The probes stored are the payments pod's stdout probes before its stderr failure (one container log).
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "kube-probe"]).stdout == "10\n")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "kube-probe and not rescued:true"]).stdout == "0\n")
        let stats = try CLIRunner.run(["stats", "--json", "--data", data])
        let obj = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as! [String: Any]
        let noise = obj["noise"] as! [[String: Any]]
        #expect(noise.contains { ($0["kind"] as? String) == "dropped" && ($0["events"] as? Int) == 12 })
        #expect(obj["noise_dropped"] as? Int == 12)

        // Probe chatter right before a failure in the same stream is stored with it, marked rescued.
        let lines = (0..<5).map { #"10.0.0.1 - - [19/Nov/2026:10:00:0\#($0) +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29""# }
            + ["2026-11-19T10:00:06Z ERROR database connection lost"]
        let data2 = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data2) }
        let ing2 = try CLIRunner.run(["ingest", "--data", data2, "--source", "api"], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(ing2.stderr.contains("5 rescued"), "\(ing2.stderr)")
        let all = try CLIRunner.run(["search", "--data", data2, "--json", ""]).stdout.split(separator: "\n")
        #expect(all.count == 6)
        #expect(all.filter { $0.contains("\"rescued\"") }.count == 5)
        #expect(all.filter { $0.contains("\"failure\"") }.count == 1)
    }

    @Test func filtersTestIsADryRunWithPerRuleFigures() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rules = dir + "/rules.yaml"
        try """
        version: 1
        rules:
          - name: cart-loaded-chatter
            match:
              contains: ["cart loaded"]
            action: drop
        """.write(toFile: rules, atomically: true, encoding: .utf8)
        let log = dir + "/app.log"
        try (0..<10).map { "2026-11-19T10:00:0\($0)Z INFO cart loaded with \($0) items" }.joined(separator: "\n")
            .appending("\n2026-11-19T10:00:10Z WARN cart loaded but stale\n").write(toFile: log, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["filters", "test", "--config", rules, log])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("11 events"))
        #expect(out.stdout.contains("would not store 10 events"))
        #expect(out.stdout.contains("cart-loaded-chatter (drop, ") && out.stdout.contains("rules.yaml:3)"))
        #expect(out.stdout.contains("e.g. 2026-11-19T10:00:00Z INFO cart loaded with 0 items"))
        // The warning is not dropped (rules without `level:` only apply below warn).
        // A refused pattern is a config error with its place and a caret.
        try "rules: [{name: bad, match: {regex: '(a)\\1x'}, action: drop}]".write(toFile: rules, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["filters", "test", "--config", rules, log])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("backreferences are not supported"))
        #expect(bad.stderr.contains("^"))
    }

    @Test func filtersSuggestOffersPastableRulesButNeverForFailureContext() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var app: [String] = [], db: [String] = []
        for i in 0..<600 {
            app.append("2026-11-19T10:\(String(format: "%02d:%02d", i / 60, i % 60))Z INFO cache miss for key k\(i * 7919 % 99991) in region eu-\(i % 3)")
        }
        for k in 0..<150 { db.append("2026-11-19T10:05:00Z INFO db pool at \(k)% of capacity") }
        db.append("2026-11-19T10:05:01Z ERROR db pool exhausted, request failed")
        try (app.joined(separator: "\n") + "\n").write(toFile: dir + "/app.log", atomically: true, encoding: .utf8)
        try (db.joined(separator: "\n") + "\n").write(toFile: dir + "/db.log", atomically: true, encoding: .utf8)
        _ = try CLIRunner.run(["ingest", "--data", dir + "/d", dir + "/app.log", dir + "/db.log"])
        let out = try CLIRunner.run(["filters", "suggest", "--data", dir + "/d", "--min-share", "1"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("cache miss for key <*> in region"))
        #expect(!out.stdout.contains("db pool"), "a template seen right before a failure is never suggested")
        // Every second exactly, 4 distinct values (3 regions, and "k0", too short to be masked): clear chatter, so the rule drops it.
        #expect(out.stdout.contains("evidence: every 1 s ± 0 s in 1 pod; 4 distinct values"), "\(out.stdout)")
        // The rule is ready to paste: as printed, it drops the chatter.
        let rule = out.stdout.split(separator: "\n").drop { !$0.hasPrefix("  - name:") }.prefix(5).joined(separator: "\n")
        try ("rules:\n" + rule + "\n").write(toFile: dir + "/rules.yaml", atomically: true, encoding: .utf8)
        let test = try CLIRunner.run(["filters", "test", "--no-defaults", "--config", dir + "/rules.yaml", dir + "/app.log"])
        #expect(test.status == 0, "\(test.stderr)")
        #expect(test.stdout.contains("would not store 600 events"))
    }

    @Test func humanOutputNeverPassesControlSequences() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let hostile = "2026-11-19T10:00:00Z WARN evil \u{1B}]0;owned\u{07} \u{1B}[31mred\r fake \u{2028} ${jndi:ldap://x/a}\n"
        let ing = try CLIRunner.run(["ingest", "--data", data, "--source", "evil"], stdin: Data(hostile.utf8))
        #expect(ing.status == 0, "\(ing.stderr)")
        let out = try CLIRunner.run(["search", "--data", data, "evil"])
        #expect(out.status == 0)
        #expect(!out.stdout.contains("\u{1B}"))
        #expect(!out.stdout.contains("\r"))
        #expect(!out.stdout.contains("\u{2028}"))
        #expect(out.stdout.contains("${jndi:ldap://x/a}"))
        // JSON carries the text verbatim, escaped.
        let json = try CLIRunner.run(["search", "--data", data, "--json", "evil"])
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((obj["message"] as! String) == String(hostile.dropLast()))
    }

    @Test func badQueryExitsTwoWithACaret() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        _ = try CLIRunner.run(["ingest", "--data", data], stdin: Data("x\n".utf8))
        let out = try CLIRunner.run(["search", "--data", data, "level:(error or"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("^"))
    }

    @Test func dataDirectoryFromEnvironment() throws {
        let data = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ing = try CLIRunner.run(["ingest", "--deployment", "batch-job"], stdin: Data("hello from stdin\n".utf8), env: ["LOGSIFT_DATA": data])
        #expect(ing.status == 0)
        let out = try CLIRunner.run(["search", "--count", "deployment:batch-job", "hello"], env: ["LOGSIFT_DATA": data])
        #expect(out.stdout == "1\n")
        let stats = try CLIRunner.run(["stats", "--json"], env: ["LOGSIFT_DATA": data])
        let obj = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as! [String: Any]
        #expect(obj["events"] as? Int == 1)
        #expect(obj["bytes_received"] as? Int == 17)
        #expect(obj["bytes_stored_data"] != nil && obj["bytes_stored_index"] != nil)
    }

    @Test func unknownFormatAndMissingDataAreClearErrors() throws {
        let bad = try CLIRunner.run(["ingest", "--format", "xml"], stdin: Data())
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown --format"))
        let missing = try CLIRunner.run(["search", "--data", "/nonexistent/dir", "x"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no logsift data"))
    }
}
