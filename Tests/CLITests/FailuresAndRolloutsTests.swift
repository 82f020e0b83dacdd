import Foundation
import Testing

@Suite(.serialized) struct FailuresAndRolloutsTests {
    @Test func rolloutTimelineLinksTheNewPodsToTheHelmUpgrade() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data] + w.files)
        #expect(ing.status == 0, "\(ing.stderr)")
        let out = try CLIRunner.run(["deployments", "--data", data, "--json", "--deployment", "payments"])
        #expect(out.status == 0, "\(out.stderr)")
        let rollouts = DeploymentWorld.jsonLines(out.stdout)
        #expect(rollouts.count == 2)
        let old = rollouts.first { $0["replicaset_hash"] as? String == "6c8b7d9f4" }
        #expect(old?["link"] as? String == "none")
        #expect(old?["visible"] as? Bool == false)
        let new = rollouts.first { $0["replicaset_hash"] as? String == "5f7d8c9b6" }
        #expect(new?["version"] as? String == "1.9.0")
        #expect(new?["link"] as? String == "time")
        #expect(new?["status"] as? String == "succeeded")
        #expect(new?["start"] as? String == "2026-11-20T09:58:00.000000000Z")
        #expect((new?["sources"] as? [String])?.contains("helm") == true)
        #expect((new?["sources"] as? [String])?.contains("image-push") == true)
        #expect(new?["failures_after"] as? Int == 4)
        let table = try CLIRunner.run(["deployments", "--data", data])
        #expect(table.stdout.contains("1.9.0 (rs 5f7d8c9b6)"))
    }

    @Test func failuresAreGroupedWithTheVersionThatIntroducedThem() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let out = try CLIRunner.run(["failures", "--data", data, "--json", "--deployment", "payments"])
        #expect(out.status == 0, "\(out.stderr)")
        let groups = DeploymentWorld.jsonLines(out.stdout)
        let errors = groups.first { $0["kind"] as? String == "error-level" }
        #expect(errors?["events"] as? Int == 3)
        #expect(errors?["version"] as? String == "1.9.0 (rs 5f7d8c9b6)")
        #expect(errors?["introduced_by"] as? String == "1.9.0 (rs 5f7d8c9b6)")
        #expect(errors?["first"] as? String == "2026-11-20T10:06:30.000000000Z")
        #expect(errors?["last"] as? String == "2026-11-20T10:08:30.000000000Z")
        #expect(errors?["traced"] as? Bool == true)
        #expect(errors?["context_full"] as? Int == 3)
        // The kubelet line names the pod: attributed to its deployment and version.
        let oom = groups.first { $0["kind"] as? String == "oom-killed" }
        #expect(oom?["deployment"] as? String == "payments")
        #expect(oom?["version"] as? String == "1.9.0 (rs 5f7d8c9b6)")
        // The printed context command works and shows the events before the first failure.
        let cmd = errors?["context_command"] as? String ?? ""
        #expect(cmd.hasPrefix("logsift search -B 20 --limit 1 --from 2026-11-20T10:06:30.000000000Z"))
        let human = try CLIRunner.run(["failures", "--data", data])
        #expect(human.stdout.contains("payments  4 failures"))
        #expect(human.stdout.contains("introduced by 1.9.0 (rs 5f7d8c9b6)"))
        let none = try CLIRunner.run(["failures", "--data", data, "--deployment", "nope"])
        #expect(none.stdout.contains("no failures"))
    }

    @Test func searchContextHistogramAndEventFields() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        // -B/-A: the events of the same stream around the first failure, in stored order.
        let ctx = try CLIRunner.run(["search", "--data", data, "--json", "-B", "3", "-A", "1", "--limit", "1",
                                     "--to", "2026-11-20T10:06:30Z", "kind:failure and deployment:payments"])
        #expect(ctx.status == 0, "\(ctx.stderr)")
        let hit = DeploymentWorld.jsonLines(ctx.stdout).first
        let context = hit?["context"] as? [String: Any]
        let before = (context?["before"] as? [[String: Any]])?.map { ($0["fields"] as? [String: Any])?["id"] as? Int }
        let after = (context?["after"] as? [[String: Any]])?.map { ($0["fields"] as? [String: Any])?["id"] as? Int }
        #expect(before == [103, 104, 105])
        #expect(after == [201])
        let human = try CLIRunner.run(["search", "--data", data, "-C", "1", "--limit", "1", "--to", "2026-11-20T10:06:30Z", "kind:failure"])
        #expect(human.stdout.split(separator: "\n").filter { $0.hasPrefix("> ") }.count == 1)
        #expect(human.stdout.split(separator: "\n").count == 3)

        // Histogram: from the hourly counts for label queries, by reading events for text; totals agree with --count.
        let count = try CLIRunner.run(["search", "--data", data, "--count", "deployment:payments"]).stdout
        let hist = try CLIRunner.run(["search", "--data", data, "--histogram", "--interval", "1h", "--json", "deployment:payments"])
        let h = try JSONSerialization.jsonObject(with: Data(hist.stdout.utf8)) as! [String: Any]
        #expect("\(h["total"] as! Int)\n" == count)
        #expect(h["method"] as? String == "hourly")
        let buckets = (h["buckets"] as! [[String: Any]]).map { $0["count"] as! Int }
        // 09:00: 30 old-pod events, 09:59:10 of the new pod and the 5 lines of the CI job that builds payments.
        #expect(buckets == [36, 9])
        let text = try CLIRunner.run(["search", "--data", data, "--histogram", "--interval", "1h", "--json", "\"card declined\""])
        let t = try JSONSerialization.jsonObject(with: Data(text.stdout.utf8)) as! [String: Any]
        #expect(t["total"] as? Int == 3)
        #expect(t["method"] as? String == "events")
        // A range cutting hours: whole hours counted, edges read.
        let edge = try CLIRunner.run(["search", "--data", data, "--histogram", "--interval", "1h", "--json",
                                      "--from", "2026-11-20T09:30:00Z", "--to", "2026-11-20T11:03:00Z", "deployment:payments"])
        let e = try JSONSerialization.jsonObject(with: Data(edge.stdout.utf8)) as! [String: Any]
        // 09:59:10 and the CI job's 5 lines (09:55-09:58:30) read from the partial hour, 10:00-11:00 from the hourly counts.
        #expect(e["total"] as? Int == 1 + 5 + 9)
        #expect(e["method"] as? String == "hourly+events")

        #expect(try CLIRunner.run(["search", "--data", data, "--count", "kind:oom-killed"]).stdout == "1\n")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "kind:failure and not level:error"]).stdout == "1\n")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "template:\"charge failed\""]).stdout == "3\n")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "@timestamp >= \"2026-11-20T10:06:00Z\" and deployment:payments"]).stdout == "3\n")
        let bad = try CLIRunner.run(["search", "--data", data, "@timestamp >= yesterday-ish"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("is not a time"))
    }

    @Test func followPrintsEventsStoredAfterItStarted() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let outPath = w.dir + "/follow.out"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        p.arguments = ["search", "--data", data, "--follow", "--json", "--poll-ms", "50", "deployment:late"]
        p.standardOutput = FileHandle(forWritingAtPath: outPath)
        try p.run()
        defer { if p.isRunning { p.terminate() }; p.waitUntilExit() }
        usleep(500_000)
        let line = "2026-11-20T11:00:00Z ERROR late arrival\n"
        #expect(try CLIRunner.run(["ingest", "--data", data, "--deployment", "late", "-"], stdin: Data(line.utf8)).status == 0)
        var got = ""
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !got.contains("\n") {
            usleep(50_000)
            got = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        }
        let events = DeploymentWorld.jsonLines(got)
        #expect(events.count == 1)
        #expect(events.first?["deployment"] as? String == "late")
        #expect(events.first?["level"] as? String == "error")
    }
}
