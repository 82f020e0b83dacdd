import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// L1 with every front door at once: `tail` on a growing file, `ingest` reading a slow stdin and `serve`
/// taking HTTP posts, all into one data directory (three writers taking turns on SQLite's write lock),
/// with a live reader, for `LOGSIFT_SOAK_SECONDS` (default 20; minutes when asked). Afterwards every line
/// from every source is stored exactly once, each process's resident memory levelled off (the second half's
/// peak within 25% + 8 MiB of the first half's), and the WAL stayed bounded.
@Suite(.serialized) struct SoakTests {
    static func rssKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func post(port: Int, body: String) -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/logs")!)
        request.httpMethod = "POST"
        request.httpBody = body.data(using: .utf8)
        request.setValue("Bearer " + ServeTests.token, forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 60
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        return status
    }

    @Test func filesStdinAndHTTPTogetherStoreEverythingOnceWithLevelMemory() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["LOGSIFT_SOAK_SECONDS"] ?? "") ?? 20
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/logs", data = root + "/data"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/app.log", contents: nil)

        let server = try ServeProcess(data: data, config: try ServeTests.config())
        defer { _ = server.stop() }
        let tail = TailProcess(data: data, args: [dir + "/*.log"])
        try tail.start()
        defer { tail.stop() }
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        ingest.arguments = ["ingest", "--data", data, "--source", "stdin-soak", "-"]
        let stdin = Pipe()
        ingest.standardInput = stdin
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        reader.arguments = ["search", "--data", data, "--follow", "--count", "--poll-ms", "100", "level:error"]
        _ = FileManager.default.createFile(atPath: root + "/follow.txt", contents: nil)
        reader.standardOutput = FileHandle(forWritingAtPath: root + "/follow.txt")
        reader.standardError = FileHandle.nullDevice
        try reader.run()
        defer { if reader.isRunning { reader.terminate() }; reader.waitUntilExit() }

        let file = FileHandle(forWritingAtPath: dir + "/app.log")!
        let started = Date()
        var fileSeq = 0, httpSeq = 10_000_000, stdinSeq = 20_000_000, refused = 0
        let pids = ["serve": server.process.processIdentifier, "tail": tail.pid, "ingest": ingest.processIdentifier]
        var firstHalf: [String: Int] = [:], secondHalf: [String: Int] = [:]
        var maxWAL = 0
        func lines(_ n: Int, _ seq: inout Int, _ source: String) -> String {
            var s = ""
            for _ in 0..<n {
                s += "2026-11-20T12:00:00Z \(seq % 97 == 0 ? "ERROR" : "INFO") src=\(source) worker=\(seq % 13) seq=\(seq) " + String(repeating: "q", count: 50) + "\n"
                seq += 1
            }
            return s
        }
        while Date().timeIntervalSince(started) < seconds {
            file.write(lines(300, &fileSeq, "file").data(using: .utf8)!)
            stdin.fileHandleForWriting.write(lines(200, &stdinSeq, "stdin").data(using: .utf8)!)
            let before = httpSeq
            let status = Self.post(port: server.port, body: lines(200, &httpSeq, "http"))
            if status != 200 { refused += 1; httpSeq = before }  // 429 is backpressure: the client sends again
            let half = Date().timeIntervalSince(started) < seconds / 2
            for (name, pid) in pids {
                let rss = Self.rssKiB(pid)
                if half { firstHalf[name] = max(firstHalf[name] ?? 0, rss) } else { secondHalf[name] = max(secondHalf[name] ?? 0, rss) }
            }
            let wal = (try? FileManager.default.attributesOfItem(atPath: data + "/logsift.db-wal"))?[.size] as? NSNumber
            maxWAL = max(maxWAL, wal?.intValue ?? 0)
            usleep(100_000)
        }
        try file.close()
        try stdin.fileHandleForWriting.close()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0)
        #expect(waitCaughtUp(path: dir + "/app.log", data: data, whole: true, timeout: 60))
        tail.stop()
        #expect(server.stop() == 0)

        let stored = try storedSequences(data)
        let expected = (0..<fileSeq).count + (10_000_000..<httpSeq).count + (20_000_000..<stdinSeq).count
        #expect(stored.count == expected, "stored \(stored.count) of \(expected)")
        #expect(stored.values.allSatisfy { $0 == 1 }, "duplicates: \(stored.filter { $0.value > 1 }.count)")
        // The live reader kept up: its running count reaches every ERROR line stored.
        let errors = [0..<fileSeq, 10_000_000..<httpSeq, 20_000_000..<stdinSeq].map { r in r.filter { $0 % 97 == 0 }.count }.reduce(0, +)
        func followed() -> Int {
            Int(((try? String(contentsOfFile: root + "/follow.txt", encoding: .utf8)) ?? "").split(separator: "\n").last ?? "") ?? -1
        }
        let caughtUp = Date().addingTimeInterval(30)
        while Date() < caughtUp, followed() != errors { usleep(100_000) }
        #expect(followed() == errors, "search --follow --count printed \(followed()) of \(errors) error lines")
        for name in pids.keys {
            let a = firstHalf[name] ?? 0, b = secondHalf[name] ?? 0
            #expect(b <= a + a / 4 + 8 * 1024, "\(name): RSS first half \(a) KiB, second half \(b) KiB")
        }
        #expect(maxWAL < 64 << 20, "WAL reached \(maxWAL) bytes")
        let mib = { (k: Int) in k / 1024 }
        print("soak: \(Int(seconds)) s, file \(fileSeq) + http \(httpSeq - 10_000_000) + stdin \(stdinSeq - 20_000_000) lines, all stored once; "
              + "follow counted \(followed()) of \(errors) errors; \(refused) posts refused (429); peak RSS MiB first/second half: "
              + pids.keys.sorted().map { "\($0) \(mib(firstHalf[$0] ?? 0))/\(mib(secondHalf[$0] ?? 0))" }.joined(separator: ", ")
              + String(format: "; WAL peak %.1f MB", Double(maxWAL) / 1e6))
    }
}
