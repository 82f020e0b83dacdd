import Foundation
import Testing

@Suite(.serialized) struct CheckExportTests {
    func sqlite(_ db: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, sql]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// `stats --sizes` reads every block: its parts add up to the stored data `stats` reports, each column kind of the
    /// block templates layout among them, and the index is the full-text pages plus the Bloom filters.
    @Test func statsSizesAccountForEveryStoredByte() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let sizes = try CLIRunner.run(["stats", "--sizes", "--data", data])
        #expect(sizes.status == 0, "\(sizes.stderr)")
        let json = try CLIRunner.run(["stats", "--json", "--data", data])
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        var stored: [String: Int] = [:]
        for line in sizes.stdout.split(separator: "\n") {
            // name, stored bytes, share of the data, share of what was received[, raw bytes]
            let fields = line.split(separator: " ")
            guard let share = fields.firstIndex(where: { $0.hasSuffix("%") }), share >= 2, let n = Int(fields[share - 1]) else { continue }
            stored[fields[..<(share - 1)].joined(separator: " ")] = n
        }
        for column in ["meta", "choice", "ints", "hex", "times", "strs", "templates (block)", "mined (block)", "column table"] {
            #expect(stored[column] != nil, "no \(column) in \(sizes.stdout)")
        }
        let parts = stored.filter { !["data", "data + index", "full-text index (FTS5 pages)", "Bloom filters (ids)"].contains($0.key) }
        #expect(parts.values.reduce(0, +) == stats["bytes_stored_data"] as? Int)
        #expect(stored["data"] == stats["bytes_stored_data"] as? Int)
        #expect((stored["full-text index (FTS5 pages)"] ?? 0) + (stored["Bloom filters (ids)"] ?? 0) == stats["bytes_stored_index"] as? Int)
    }

    @Test func checkPassesASoundStoreAndNamesFlippedBytesAndMissingBlocks() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let ok = try CLIRunner.run(["check", "--data", data])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.hasSuffix("ok\n"))

        // A Bloom filter row cut short (an id lookup would decode its block whole): named.
        try sqlite(data + "/logsift.db", "UPDATE ids_20261120 SET bits = substr(bits, 1, length(bits) - 1) WHERE key = (SELECT min(key) FROM ids_20261120)")
        let cut = try CLIRunner.run(["check", "--data", data])
        #expect(cut.status == 1)
        #expect(cut.stdout.contains("does not parse"), "\(cut.stdout)")

        // Bytes flipped inside a block: the frame checksum catches it.
        try sqlite(data + "/logsift.db", """
        UPDATE blocks_20261120 SET data = substr(data, 1, 40) || x'DEADBEEFDEADBEEF' || substr(data, 49)
        WHERE id = (SELECT min(id) FROM blocks_20261120)
        """)
        let flipped = try CLIRunner.run(["check", "--data", data])
        #expect(flipped.status == 1)
        #expect(flipped.stdout.contains("problem: 20261120 block"))
        #expect(flipped.stdout.contains("corrupt block"))

        // A block row gone: partition totals and the full-text index disagree with what is there.
        try sqlite(data + "/logsift.db", "DELETE FROM blocks_20261120 WHERE id = (SELECT max(id) FROM blocks_20261120)")
        let missing = try CLIRunner.run(["check", "--data", data])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("partition totals say"))
        #expect(missing.stdout.contains("the full-text index holds"))
        #expect(missing.stdout.contains("which is not stored"))
    }

    @Test func exportWritesEveryMatchingEventAsNDJSON() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let all = try CLIRunner.run(["export", "--data", data])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = DeploymentWorld.jsonLines(all.stdout)
        #expect(lines.count == all.stdout.split(separator: "\n").count)
        let count = try CLIRunner.run(["search", "--data", data, "--count"]).stdout
        #expect("\(lines.count)\n" == count)
        let errors = DeploymentWorld.jsonLines(try CLIRunner.run(["export", "--data", data, "--from", "2026-11-20T10:07:00Z", "level:error"]).stdout)
        #expect(errors.map { ($0["fields"] as? [String: Any])?["id"] as? Int } == [201, 202])
        let bad = try CLIRunner.run(["export", "--data", data, "level:("])
        #expect(bad.status == 2)
    }
}

@Suite(.serialized) struct CompactTests {
    @Test func retentionDropsOldDaysThenOldestWhileOverSizeAndKeepsTheStoreSound() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        var old = ""
        for day in 1...3 { for i in 0..<200 { old += "2020-01-0\(day)T10:00:\(String(format: "%02d", i % 60))Z INFO old day \(day) line \(i) " + String(repeating: "x", count: 200) + "\n" } }
        #expect(try CLIRunner.run(["ingest", "--data", data, "--deployment", "legacy", "-"], stdin: Data(old.utf8)).status == 0)
        let before = try CLIRunner.run(["search", "--data", data, "--count"]).stdout

        // Dry run changes nothing.
        let dry = try CLIRunner.run(["compact", "--data", data, "--max-age", "400d", "--dry-run"])
        #expect(dry.stdout.contains("would drop 3 days (20200101, 20200102, 20200103), 600 events"))
        #expect(try CLIRunner.run(["search", "--data", data, "--count"]).stdout == before)

        // By size from the config file: the oldest day goes first, the newest day is always kept.
        try "retention:\n  max_size: 1B\n".write(toFile: w.dir + "/ret.yaml", atomically: true, encoding: .utf8)
        let bySize = try CLIRunner.run(["compact", "--data", data, "--config", w.dir + "/ret.yaml"])
        #expect(bySize.status == 0, "\(bySize.stderr)")
        #expect(bySize.stdout.contains("dropped 3 days (20200101, 20200102, 20200103), 600 events"))
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "deployment:legacy"]).stdout == "0\n")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "deployment:payments"]).stdout != "0\n")
        #expect(try CLIRunner.run(["check", "--data", data]).status == 0)
        let stats = try JSONSerialization.jsonObject(with: Data(try CLIRunner.run(["stats", "--json", "--data", data]).stdout.utf8)) as! [String: Any]
        #expect(stats["retention_events"] as? Int == 600)
        #expect(stats["retention_partitions"] as? Int == 3)
        // The failure groups and rollouts that reports read outlive the events.
        #expect(try CLIRunner.run(["failures", "--data", data, "--json"]).stdout.contains("payments"))

        let bad = try CLIRunner.run(["compact", "--data", data, "--max-size", "lots"])
        #expect(bad.status == 2)
        try "retention:\n  max_days: 3\n".write(toFile: w.dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let badConfig = try CLIRunner.run(["compact", "--data", data, "--config", w.dir + "/bad.yaml"])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("unknown key retention.max_days"))
    }
}

@Suite(.serialized) struct DiskFullTests {
    /// F3: a database that cannot grow (`max_page_count`, the test hook for a full disk) fails the batch with a
    /// clear error; what was committed stays sound; a tail's positions do not advance past what was stored, so
    /// once space returns every line is stored exactly once.
    @Test func aFullDiskFailsCleanlyAndTailResumesWithoutLossOrDuplicates() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data", logs = root + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        var rng = SplitMix(state: 7)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        func lines(_ r: Range<Int>) -> String {
            r.map { i in
                let noise = String((0..<48).map { _ in alphabet[rng.below(alphabet.count)] })
                return "2026-11-20T10:\(String(format: "%02d", i / 1000 % 60)):\(String(format: "%02d", i % 60))Z INFO seq=\(i) \(noise)\n"
            }.joined()
        }
        try lines(0..<20_000).write(toFile: logs + "/app.log", atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["tail", "--once", "--data", data, logs + "/*.log"]).status == 0)
        let before = try FileManager.default.attributesOfItem(atPath: data + "/logsift.db")[.size] as! NSNumber
        // More lines arrive; the database may not grow: the batch fails, the committed position stays.
        let more = FileHandle(forWritingAtPath: logs + "/app.log")!
        more.seekToEndOfFile()
        more.write(lines(20_000..<80_000).data(using: .utf8)!)
        try more.close()
        let pages = before.intValue / 4096 + 20
        let full = try CLIRunner.run(["tail", "--once", "--data", data, logs + "/*.log"], env: ["LOGSIFT_MAX_PAGE_COUNT": String(pages)])
        #expect(full.status != 0)
        #expect(full.stderr.contains("the disk is full"))
        #expect(try CLIRunner.run(["check", "--data", data]).status == 0)
        let partial = try storedSequences(data)
        #expect(partial.count == 20_000)
        #expect(partial.values.allSatisfy { $0 == 1 })
        // Space returns: the rest is read from the committed position.
        let resumed = try CLIRunner.run(["tail", "--once", "--data", data, logs + "/*.log"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let stored = try storedSequences(data)
        #expect(stored.count == 80_000)
        #expect(stored.values.allSatisfy { $0 == 1 })
    }
}

@Suite(.serialized) struct KillDuringIngestTests {
    /// F1 for `ingest`: killed with -9 at random moments, many times, the store stays sound (integrity, every
    /// block decodes, the full-text index agrees) and holds whole batches only: its counters equal what a
    /// search finds.
    @Test func kill9DuringIngestLeavesWholeBatchesAndASoundStore() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data", input = root + "/big.log"
        var rng = SplitMix(state: 11)
        var text = ""
        for i in 0..<200_000 { text += "2026-11-20T11:\(String(format: "%02d", i / 3000 % 60)):00Z INFO seq=\(i) user=\(rng.below(5000)) took \(rng.below(900))ms\n" }
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let rounds = Int(ProcessInfo.processInfo.environment["LOGSIFT_KILL_ROUNDS"] ?? "") ?? 8
        var killed = 0, stored: [Int] = []
        for round in 0..<rounds {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            p.arguments = ["ingest", "--data", data, input]
            p.standardError = FileHandle.nullDevice
            try p.run()
            // The debug build commits its first 8 MiB batch after a few seconds: kill before, during and after.
            usleep(useconds_t(300_000 + rng.below(6_000_000)))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); killed += 1 }
            p.waitUntilExit()
            let check = try CLIRunner.run(["check", "--data", data])
            #expect(check.status == 0, "round \(round): \(check.stdout)")
            let stats = try JSONSerialization.jsonObject(with: Data(try CLIRunner.run(["stats", "--json", "--data", data]).stdout.utf8)) as! [String: Any]
            let found = try CLIRunner.run(["search", "--data", data, "--count"]).stdout
            #expect("\(stats["events"] as? Int ?? -1)\n" == found, "round \(round)")
            stored.append(stats["events"] as? Int ?? -1)
        }
        print("kill -9 during ingest: \(killed) of \(rounds) runs killed; store sound after each; events stored: \(stored.suffix(20))")
        #expect(killed >= 1)
        // A last run to the end adds the whole input once more to whatever whole batches the killed runs left.
        #expect(try CLIRunner.run(["ingest", "--data", data, input]).status == 0)
        let final = try CLIRunner.run(["search", "--data", data, "--count"]).stdout
        #expect(Int(final.trimmingCharacters(in: .whitespacesAndNewlines)) == (stored.last ?? 0) + 200_000)
        #expect(try CLIRunner.run(["check", "--data", data]).status == 0)
    }
}

@Suite(.serialized) struct SustainedIngestTests {
    /// L1 (CI-sized): lines appended for ~10 s while `tail` follows them and a `search --follow` reader polls:
    /// everything written is stored exactly once, and the WAL stays bounded (checkpoints complete between the
    /// reader's short snapshots). `LOGSIFT_TAIL_SOAK_SECONDS` runs it longer.
    @Test func tailWithALiveReaderStoresEverythingAndKeepsTheWALBounded() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["LOGSIFT_TAIL_SOAK_SECONDS"] ?? "") ?? 10
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/logs", data = root + "/data"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/app.log", contents: nil)
        let tail = TailProcess(data: data, args: [dir + "/*.log"])
        try tail.start()
        defer { tail.stop() }
        usleep(300_000)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        reader.arguments = ["search", "--data", data, "--follow", "--count", "--poll-ms", "50", "level:error"]
        reader.standardOutput = FileHandle.nullDevice
        try reader.run()
        defer { if reader.isRunning { reader.terminate() }; reader.waitUntilExit() }
        let out = FileHandle(forWritingAtPath: dir + "/app.log")!
        let deadline = Date().addingTimeInterval(seconds)
        var seq = 0, maxWAL = 0
        while Date() < deadline {
            var chunk = ""
            for _ in 0..<2000 {
                chunk += "2026-11-20T12:00:00Z \(seq % 50 == 0 ? "ERROR" : "INFO") worker=\(seq % 7) seq=\(seq) " + String(repeating: "p", count: 60) + "\n"
                seq += 1
            }
            out.write(chunk.data(using: .utf8)!)
            let wal = (try? FileManager.default.attributesOfItem(atPath: data + "/logsift.db-wal"))?[.size] as? NSNumber
            maxWAL = max(maxWAL, wal?.intValue ?? 0)
            usleep(150_000)  // ~13,000 lines/s: what the debug build follows comfortably next to the rest of the suite
        }
        try out.close()
        #expect(waitCaughtUp(path: dir + "/app.log", data: data, whole: true, timeout: 30))
        tail.stop()
        let stored = try storedSequences(data)
        #expect(stored.count == seq)
        #expect(stored.values.allSatisfy { $0 == 1 })
        #expect(maxWAL < 64 << 20, "WAL reached \(maxWAL) bytes")
        print(String(format: "sustained: %d lines in %.0f s with a live reader, all stored once; WAL peak %.1f MB", seq, seconds, Double(maxWAL) / 1e6))
    }
}

@Suite(.serialized) struct WriterStallTests {
    /// L2: another process holds the database's write lock for 3 s (a long maintenance transaction, a slow
    /// disk): the tail waits, its reading pauses at the bounded queue, and when the lock goes every line
    /// written meanwhile is stored exactly once.
    @Test func aStalledWriterPausesTailingWithoutLoss() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/logs", data = root + "/data"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "2026-11-20T12:00:00Z INFO seq=0 first\n".write(toFile: dir + "/app.log", atomically: true, encoding: .utf8)
        let tail = TailProcess(data: data, args: [dir + "/*.log"])
        try tail.start()
        defer { tail.stop() }
        #expect(waitCaughtUp(path: dir + "/app.log", data: data, whole: true, timeout: 10))
        let lock = Process()
        lock.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        lock.arguments = ["-c", "import sqlite3, time; c = sqlite3.connect('\(data)/logsift.db', isolation_level=None); c.execute('BEGIN IMMEDIATE'); time.sleep(3); c.execute('COMMIT')"]
        try lock.run()
        usleep(300_000)
        let out = FileHandle(forWritingAtPath: dir + "/app.log")!
        out.seekToEndOfFile()
        for k in 0..<20 {
            var chunk = ""
            for i in 0..<1000 { chunk += "2026-11-20T12:00:01Z INFO seq=\(1 + k * 1000 + i) while stalled\n" }
            out.write(chunk.data(using: .utf8)!)
            usleep(50_000)
        }
        try out.close()
        lock.waitUntilExit()
        #expect(lock.terminationStatus == 0)
        #expect(waitCaughtUp(path: dir + "/app.log", data: data, whole: true, timeout: 30))
        tail.stop()
        let stored = try storedSequences(data)
        #expect(stored.count == 20_001)
        #expect(stored.values.allSatisfy { $0 == 1 })
    }
}
