import Foundation
import Testing

/// A container's log is one log: context (`-A/-B/-C`, `--json`, the API), context rescue and the T2 input
/// (failures with their K preceding events stored) read its stdout and stderr together, as `kubectl logs` does.
@Suite struct ContainerContextTests {
    /// kubelet's layout, so that namespace, pod, container and deployment come from the path.
    static func podLog(_ dir: String, _ lines: [String]) throws -> String {
        let podDir = dir + "/var/log/pods/shop_cart-7f9c8d6b5-k9z7q_0f0e0d0c-1111-4222-8333-944455556666/cart"
        try FileManager.default.createDirectory(atPath: podDir, withIntermediateDirectories: true)
        let path = podDir + "/0.log"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func probe(_ t: String) -> String {
        "2026-11-19T10:00:\(t)Z stdout F 10.0.0.1 - - [19/Nov/2026:10:00:01 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\""
    }

    @Test func aFailureOnStderrBringsBackTheProbesDroppedOnStdout() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = ["2026-11-19T10:00:00.050000000Z stdout F serving on :8080"]
            + (1...5).map { Self.probe("01.\($0)00000000") }
            + ["2026-11-19T10:00:01.900000000Z stderr F ERROR payment backend unreachable: dial tcp 10.0.3.7:5432: connection refused"]
        let log = try Self.podLog(dir, lines)
        let data = dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data, log])
        #expect(ing.status == 0, "\(ing.stderr)")
        #expect(ing.stderr.contains("5 rescued"), "\(ing.stderr)")

        // -B shows the container's log: the stdout banner and the rescued probes, then the stderr failure.
        let b = try CLIRunner.run(["search", "--data", data, "--color", "never", "-B", "10", "level:error"])
        #expect(b.status == 0, "\(b.stderr)")
        let shown = b.stdout.split(separator: "\n").map(String.init)
        #expect(shown.count == 7, "\(b.stdout)")
        #expect(shown.first?.contains("cart/cart-7f9c8d6b5-k9z7q[stdout] serving on :8080") == true, "\(b.stdout)")
        #expect(shown[1..<6].allSatisfy { $0.contains("[stdout] (rescued)") && $0.contains("kube-probe") }, "\(b.stdout)")
        #expect(shown.last?.hasPrefix("> ") == true && shown.last?.contains("[stderr]") == true, "\(b.stdout)")

        // The same in JSON: context in time order, each with its stream and flags.
        let j = try CLIRunner.run(["search", "--data", data, "--json", "-B", "10", "level:error"])
        let obj = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as! [String: Any]
        let ctx = (obj["context"] as! [String: Any])["before"] as! [[String: Any]]
        #expect(ctx.map { $0["stream"] as? String } == Array(repeating: "stdout", count: 6))
        #expect(ctx.dropFirst().allSatisfy { ($0["flags"] as? [String])?.contains("rescued") == true })
        let times = ctx.compactMap { $0["time"] as? String }
        #expect(times == times.sorted() && times.count == 6)

        // T2's input: the failure had its K preceding events (both streams) stored.
        let f = try CLIRunner.run(["failures", "--data", data, "--json"])
        #expect(f.stdout.contains("\"events\":1") && f.stdout.contains("\"context_full\":1"), "\(f.stdout)")
    }

    @Test func withoutRescueTheDroppedStdoutContextCountsAsLost() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (1...3).map { Self.probe("01.\($0)00000000") }
            + ["2026-11-19T10:00:01.900000000Z stderr F ERROR payment backend unreachable"]
        let log = try Self.podLog(dir, lines)
        let config = dir + "/rules.yaml"
        try "context_rescue: 0\nrules: []\n".write(toFile: config, atomically: true, encoding: .utf8)
        let data = dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data, "--config", config, log])
        #expect(ing.status == 0, "\(ing.stderr)")
        // Before, only the stderr stream was looked at, and its empty past counted as full context.
        let f = try CLIRunner.run(["failures", "--data", data, "--json"])
        #expect(f.stdout.contains("\"events\":1") && f.stdout.contains("\"context_full\":0"), "\(f.stdout)")
        let b = try CLIRunner.run(["search", "--data", data, "--color", "never", "-B", "10", "level:error"])
        #expect(b.stdout.split(separator: "\n").count == 1, "\(b.stdout)")
    }

    @Test func stdoutAndStderrInterleavedWithinOneSecondComeBackInTimeOrder() throws {
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Ten lines within one second, alternating streams; the 6th (stderr) is the hit.
        let lines = (0..<10).map { k in
            "2026-11-19T10:00:05.\(k)00000000Z \(k % 2 == 0 ? "stdout" : "stderr") F step \(k) of the order pipeline"
        }
        let log = try Self.podLog(dir, lines)
        let data = dir + "/data"
        let ing = try CLIRunner.run(["ingest", "--data", data, "--no-filters", log])
        #expect(ing.status == 0, "\(ing.stderr)")
        let c = try CLIRunner.run(["search", "--data", data, "--color", "never", "-C", "3", "\"step 5\""])
        #expect(c.status == 0, "\(c.stderr)")
        let shown = c.stdout.split(separator: "\n").map(String.init)
        #expect(shown.count == 7, "\(c.stdout)")
        for (i, k) in (2...8).enumerated() {
            #expect(shown[i].contains("step \(k) of") && shown[i].contains(k % 2 == 0 ? "[stdout]" : "[stderr]"), "\(c.stdout)")
        }
        #expect(shown[3].hasPrefix("> "))
        // At the edges of the log: fewer neighbours, never the other container's.
        let first = try CLIRunner.run(["search", "--data", data, "--color", "never", "-C", "3", "\"step 0\""])
        #expect(first.stdout.split(separator: "\n").map(String.init).map { $0.contains("step") }.count == 4, "\(first.stdout)")
    }
}
