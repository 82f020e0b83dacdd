import Foundation

/// `--ship`: the workload from one agent (`logsift tail --ship --once`) to one `logsift serve` on loopback, next to
/// `tail --once` into a local store: MiB/s, each side's CPU and peak RSS, compressed bytes on the wire per raw byte.
struct ShipBench {
    var seconds = 0.0
    var rawBytes: Int64 = 0
    var wireBytes: Int64 = 0
    var batches: Int64 = 0
    var agentCPU = 0.0, agentRSSKiB = 0
    var serverCPU = 0.0, serverRSSKiB = 0

    static func run(logsift: String, work: String, input: RawInput) throws -> ShipBench {
        let data = "\(work)/store-ship", state = "\(work)/agent-state", serveOut = "\(work)/serve.out"
        for p in [data, state] where FileManager.default.fileExists(atPath: p) { try FileManager.default.removeItem(atPath: p) }
        // The server: spawned here and reaped with wait4 at the end, for its rusage.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, serveOut, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let args = [logsift, "serve", "--data", data, "--listen", "127.0.0.1:0"]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let rc = argv.withUnsafeBufferPointer { posix_spawn(&pid, logsift, &actions, nil, $0.baseAddress!, environ) }
        guard rc == 0 else { throw BenchError("cannot start \(logsift) serve: \(String(cString: strerror(rc)))") }
        var port: Int?
        for _ in 0..<200 where port == nil {
            usleep(50_000)
            let text = (try? String(contentsOfFile: serveOut, encoding: .utf8)) ?? ""
            port = text.split(separator: "\n").first { $0.contains("listening on") }.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
        }
        guard let port else { kill(pid, SIGKILL); throw BenchError("logsift serve did not start (see \(serveOut))") }
        printProgress("ship: one agent to logsift serve on 127.0.0.1:\(port), \(input.files.count) files")
        let agentOut = "\(work)/ship-agent.json"
        let agent = try ChildProcess.run(logsift, ["tail", "--ship", "http://127.0.0.1:\(port)", "--once", "--node", "bench", "--state-dir", state] + input.files,
                                         stdout: .file(agentOut))
        kill(pid, SIGTERM)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 { guard errno == EINTR else { break } }
        guard agent.succeeded else { throw BenchError("`logsift tail --ship --once` \(agent.failureDescription)") }
        var bench = ShipBench()
        bench.seconds = agent.wallSeconds
        bench.agentCPU = agent.userSeconds + agent.systemSeconds
        bench.agentRSSKiB = agent.maxRSSKiB
        bench.serverCPU = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        bench.serverRSSKiB = Int(usage.ru_maxrss)
        if let d = FileManager.default.contents(atPath: agentOut), let line = String(decoding: d, as: UTF8.self).split(separator: "\n").last,
           let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
            bench.wireBytes = (obj["wire_bytes"] as? NSNumber)?.int64Value ?? 0
            bench.rawBytes = (obj["raw_bytes"] as? NSNumber)?.int64Value ?? 0
            bench.batches = (obj["batches"] as? NSNumber)?.int64Value ?? 0
        }
        try? FileManager.default.removeItem(atPath: data)
        return bench
    }

    func summary(tailMiBps: Double?) -> String {
        let mib = Double(rawBytes) / 1_048_576
        var s = String(format: "ship (one agent → serve, loopback): %.1f MiB/s (%.1f MiB in %.2f s, %lld batches), bytes on the wire per raw byte %.3f, agent CPU %.1f s peak RSS %.0f MiB, server CPU %.1f s peak RSS %.0f MiB",
                       mib / max(seconds, 1e-9), mib, seconds, batches, Double(wireBytes) / Double(max(rawBytes, 1)), agentCPU, Double(agentRSSKiB) / 1024,
                       serverCPU, Double(serverRSSKiB) / 1024)
        if let tailMiBps { s += String(format: "; tail --once into a local store: %.1f MiB/s", tailMiBps) }
        return s + "\n"
    }
}
