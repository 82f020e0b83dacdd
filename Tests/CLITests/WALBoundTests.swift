import Foundation
import Testing

/// A `logsift` child process with extra environment, its stdout to a file or discarded.
private func spawn(_ args: [String], env: [String: String] = [:], stdout: String? = nil, stdin: Pipe? = nil) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
    if let stdout {
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: stdout)
    } else {
        p.standardOutput = FileHandle.nullDevice
    }
    p.standardError = FileHandle.nullDevice
    if let stdin { p.standardInput = stdin }
    try p.run()
    return p
}

/// A TRUNCATE checkpoint from another process (`sqlite3`, waiting up to 20 s for readers): `busy|log|checkpointed`,
/// `0|…` when it went through.
private func truncateCheckpoint(_ data: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [data + "/logsift.db", ".timeout 20000", "PRAGMA wal_checkpoint(TRUNCATE)"]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    p.waitUntilExit()
    return text
}

private func walBytes(_ data: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: data + "/logsift.db-wal"))?[.size] as? NSNumber)?.intValue ?? 0
}

/// The largest WAL size seen, sampled every 20 ms on a thread of its own until `stop()`.
private final class WALSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peakBytes = 0
    private var running = true
    private let thread: Thread

    init(_ data: String) {
        let box = Box()
        thread = Thread {
            while let sampler = box.sampler, sampler.sample(walBytes(data)) { usleep(20_000) }
        }
        box.sampler = self
        thread.start()
    }

    private final class Box: @unchecked Sendable { weak var sampler: WALSampler? }

    private func sample(_ v: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        peakBytes = max(peakBytes, v)
        return running
    }

    var peak: Int {
        lock.lock()
        defer { lock.unlock() }
        return peakBytes
    }

    /// Starts counting the peak from now.
    func reset() {
        lock.lock()
        peakBytes = 0
        lock.unlock()
    }

    func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }
}

/// Appends numbered lines (`seq=N`, every 50th an ERROR) with 64 random hex digits each: they compress about
/// as badly as real identifiers do, so the WAL sees real volume.
private struct LineWriter {
    let path: String
    var seq = 0
    var rng = SplitMix(state: 0x1A1)

    init(path: String) {
        self.path = path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }

    mutating func append(_ n: Int) {
        var s = ""
        for _ in 0..<n {
            s += "2026-11-20T12:00:00Z \(seq % 50 == 0 ? "ERROR" : "INFO") worker=\(seq % 7) seq=\(seq) "
                + String(format: "%016llx%016llx %016llx%016llx\n", rng.next(), rng.next(), rng.next(), rng.next())
            seq += 1
        }
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(s.data(using: .utf8)!)
        try? h.close()
    }
}

/// A fresh data directory with `logsift tail` following `logs/app.log` under a WAL limit, its first line stored.
private final class TailedLog {
    let root = CLIRunner.tempDir()
    var log: String { root + "/logs/app.log" }
    var data: String { root + "/data" }
    var writer: LineWriter
    let tail: Process

    init(walLimitMB: Int) throws {
        try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
        writer = LineWriter(path: root + "/logs/app.log")
        writer.append(1)
        tail = try spawn(["tail", "--data", root + "/data", "--poll-ms", "5", "--rescan-ms", "15", "--commit-ms", "10", root + "/logs/app.log"],
                         env: ["LOGSIFT_WAL_LIMIT_MB": String(walLimitMB)])
        #expect(waitCaughtUp(path: log, data: data, whole: true, timeout: 30))
    }

    func close() {
        if tail.isRunning { tail.terminate() }
        tail.waitUntilExit()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// L1: the WAL stays bounded while readers run. SQLite's passive checkpoints never let the WAL start over while
/// some reader always holds an older snapshot; the writer then waits for those readers (a TRUNCATE checkpoint)
/// once the WAL passes its limit (`EmbeddedStoreWriter.boundWAL`). The tests lower the limit to a few MiB with
/// `LOGSIFT_WAL_LIMIT_MB`, so that CI-sized volumes cross it many times.
@Suite(.serialized) struct WALBoundTests {
    static let limitMB = 2

    /// 150,000 lines tailed while readers run without pause, so that some reader always holds a snapshot
    /// that an automatic checkpoint cannot pass: two processes running `logsift search` one after another, and
    /// a slow reader (a dashboard, an export) with two connections that each hold their snapshot for a second,
    /// staggered by half a second.
    @Test func theWALStaysBoundedWhileOverlappingReadersRun() throws {
        let t = try TailedLog(walLimitMB: Self.limitMB)
        defer { t.close() }
        let data = t.data, tail = t.tail
        let sampler = WALSampler(data)
        defer { sampler.stop() }

        let stop = StopFlag()
        let searches = Counter()
        let queries = [["--count", "seq"], ["level:error"], ["--count", "level:info"], ["seq"]]
        var readers: [Thread] = []
        for k in 0..<2 {
            let t = Thread {
                var i = k
                while !stop.isSet {
                    _ = try? CLIRunner.run(["search", "--data", data] + queries[i % queries.count])
                    searches.add()
                    i += 1
                }
            }
            t.start()
            readers.append(t)
        }
        let slow = try slowReader(data, holdSeconds: 1.0)
        let started = Date()
        while t.writer.seq < 150_000 {
            t.writer.append(2000)
            usleep(150_000)
        }
        #expect(waitCaughtUp(path: t.log, data: data, whole: true, timeout: 120))
        let seconds = Date().timeIntervalSince(started)
        let snapshots = slow()
        stop.set()
        while readers.contains(where: { !$0.isFinished }) { usleep(50_000) }
        tail.terminate()
        tail.waitUntilExit()
        sampler.stop()
        let peak = sampler.peak
        let stored = try storedSequences(data)
        #expect(stored.count == t.writer.seq)
        #expect(stored.values.allSatisfy { $0 == 1 })
        // The limit, plus what is committed while a checkpoint is refused (readers outlasting its wait): 4.1 MB
        // alone, 10.2 MB once while the whole test run loaded both cores. Unbounded growth (the bug this guards
        // against) passed 100 MB.
        #expect(peak < 6 * Self.limitMB << 20, "WAL peak \(peak) bytes with a limit of \(Self.limitMB) MiB")
        #expect(try CLIRunner.run(["check", "--data", data]).status == 0)
        let db = (try FileManager.default.attributesOfItem(atPath: data + "/logsift.db")[.size] as! NSNumber).intValue
        print(String(format: "WAL with overlapping readers: %d lines in %.0f s, %d searches, %d one-second snapshots; WAL peak %.1f MB (limit %d MiB), database %.1f MB",
                     t.writer.seq, seconds, searches.value, snapshots, Double(peak) / 1e6, Self.limitMB, Double(db) / 1e6))
    }

    /// `search --follow` holds no snapshot between its polls: while it runs (and tail writes), a TRUNCATE
    /// checkpoint from another process gets through every time (it would wait forever for a held snapshot), and
    /// follow prints every matching line written after it started, once.
    @Test func followHoldsNoSnapshotBetweenPolls() throws {
        let t = try TailedLog(walLimitMB: Self.limitMB)
        defer { t.close() }
        let data = t.data, root = t.root, tail = t.tail
        let follow = try spawn(["search", "--data", data, "--follow", "--json", "--poll-ms", "200", "level:error"], stdout: root + "/follow.json")
        defer { if follow.isRunning { follow.terminate() }; follow.waitUntilExit() }
        // Follow is running once it prints an error line (each 50 lines hold one).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? String(contentsOfFile: root + "/follow.json", encoding: .utf8)) ?? "").isEmpty {
            t.writer.append(50)
            usleep(300_000)
        }
        let sampler = WALSampler(data)
        defer { sampler.stop() }
        var probes: [String] = []
        for round in 0..<10 {
            for _ in 0..<5 {
                t.writer.append(1000)
                usleep(100_000)
            }
            let text = try truncateCheckpoint(data)
            probes.append(text)
            #expect(text.hasPrefix("0|"), "round \(round): a TRUNCATE checkpoint was held off (busy|log|checkpointed = \(text))")
        }
        #expect(waitCaughtUp(path: t.log, data: data, whole: true, timeout: 60))
        usleep(1_000_000)
        follow.terminate()
        follow.waitUntilExit()
        tail.terminate()
        tail.waitUntilExit()
        sampler.stop()
        let printed = try String(contentsOfFile: root + "/follow.json", encoding: .utf8).split(separator: "\n").compactMap { line -> Int? in
            guard let r = line.range(of: "seq=") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
        let first = printed.min() ?? 0
        let wanted = (first..<t.writer.seq).filter { $0 % 50 == 0 }
        #expect(printed.sorted() == wanted, "follow printed \(printed.count) of \(wanted.count) error lines")
        #expect(sampler.peak < 4 * Self.limitMB << 20)
        print(String(format: "search --follow: 10 TRUNCATE checkpoints from another process all went through (%@); WAL peak %.1f MB; %d error lines followed",
                     probes.joined(separator: " "), Double(sampler.peak) / 1e6, printed.count))
    }

    /// `search --follow --count` started before anything is stored (an empty data directory) still lets its
    /// snapshot go between polls: TRUNCATE checkpoints from another process get through, and the running count it
    /// prints reaches every error line tailed afterwards. (Its first search once left a statement on a row,
    /// which kept the first snapshot for ever: follow printed nothing and the WAL grew with everything written.)
    @Test func followStartedOnAnEmptyStoreSeesLaterEventsAndHoldsNoSnapshot() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
        let empty = Pipe()
        let create = try spawn(["ingest", "--data", data, "-"], stdin: empty)
        try empty.fileHandleForWriting.close()
        create.waitUntilExit()
        #expect(create.terminationStatus == 0)
        let follow = try spawn(["search", "--data", data, "--follow", "--count", "--poll-ms", "100", "level:error"], stdout: root + "/count.txt")
        defer { if follow.isRunning { follow.terminate() }; follow.waitUntilExit() }
        func printed() -> [Int] {
            ((try? String(contentsOfFile: root + "/count.txt", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int($0) }
        }
        let started = Date().addingTimeInterval(30)
        while Date() < started, printed().isEmpty { usleep(50_000) }
        #expect(printed() == [0], "the first search on the empty store printed \(printed())")
        var writer = LineWriter(path: root + "/logs/app.log")
        let tail = try spawn(["tail", "--data", data, "--poll-ms", "5", "--rescan-ms", "15", "--commit-ms", "10", writer.path],
                             env: ["LOGSIFT_WAL_LIMIT_MB": String(Self.limitMB)])
        defer { if tail.isRunning { tail.terminate() }; tail.waitUntilExit() }
        var probes: [String] = []
        for round in 0..<5 {
            for _ in 0..<5 {
                writer.append(1000)
                usleep(100_000)
            }
            let text = try truncateCheckpoint(data)
            probes.append(text)
            #expect(text.hasPrefix("0|"), "round \(round): a TRUNCATE checkpoint was held off (busy|log|checkpointed = \(text))")
        }
        #expect(waitCaughtUp(path: writer.path, data: data, whole: true, timeout: 60))
        let errors = (0..<writer.seq).filter { $0 % 50 == 0 }.count
        let counted = Date().addingTimeInterval(30)
        while Date() < counted, printed().last != errors { usleep(100_000) }
        #expect(printed().last == errors, "follow counted \(printed().last ?? -1) of \(errors) error lines")
        print("search --follow on an empty store: 5 TRUNCATE checkpoints from another process (\(probes.joined(separator: " "))); counted \(printed().last ?? -1) of \(errors) error lines")
    }

    /// A foreign reader that keeps a snapshot (an `sqlite3` session left in a transaction): nothing can be
    /// checkpointed past it, and the WAL grows with what is written meanwhile; once it ends, the writer empties
    /// the WAL at one of its next commits.
    @Test func aLongHeldForeignSnapshotGrowsTheWALUntilItEnds() throws {
        let t = try TailedLog(walLimitMB: Self.limitMB)
        defer { t.close() }
        let data = t.data, tail = t.tail
        let sampler = WALSampler(data)
        defer { sampler.stop() }

        let input = Pipe(), output = Pipe()
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN")
            print(c.execute("SELECT count(*) FROM streams").fetchone()[0], flush=True)
            sys.stdin.readline()
            c.execute("COMMIT")
            c.close()
            """, data + "/logsift.db"]
        reader.standardInput = input
        reader.standardOutput = output
        try reader.run()
        _ = output.fileHandleForReading.availableData  // its snapshot is open
        let held = Date()
        while Date().timeIntervalSince(held) < 8 {
            t.writer.append(1000)
            usleep(100_000)
        }
        #expect(waitCaughtUp(path: t.log, data: data, whole: true, timeout: 60))
        let grown = walBytes(data)
        let heldSeconds = Date().timeIntervalSince(held)
        #expect(grown > Self.limitMB << 20, "the WAL did not grow past its limit (\(grown) bytes) while a snapshot was held")
        input.fileHandleForWriting.write("\n".data(using: .utf8)!)
        reader.waitUntilExit()
        let released = Date()
        var shrunk: Double?
        while Date().timeIntervalSince(released) < 30 {
            t.writer.append(200)
            usleep(100_000)
            if walBytes(data) < Self.limitMB << 20 {
                shrunk = Date().timeIntervalSince(released)
                break
            }
        }
        #expect(shrunk != nil, "the WAL is still \(walBytes(data)) bytes 30 s after the reader ended")
        #expect(waitCaughtUp(path: t.log, data: data, whole: true, timeout: 60))
        tail.terminate()
        tail.waitUntilExit()
        let stored = try storedSequences(data)
        #expect(stored.count == t.writer.seq)
        #expect(stored.values.allSatisfy { $0 == 1 })
        let stats = try CLIRunner.run(["stats", "--data", data]).stdout
        #expect(stats.contains("(WAL "))
        print(String(format: "foreign snapshot held %.0f s: WAL grew to %.1f MB (limit %d MiB); emptied %.1f s after it ended",
                     heldSeconds, Double(grown) / 1e6, Self.limitMB, shrunk ?? -1))
    }
}

private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    func set() { lock.lock(); flag = true; lock.unlock() }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func add() { lock.lock(); n += 1; lock.unlock() }
}

/// A Python process whose two connections take turns holding a read snapshot for `holdSeconds` each, staggered
/// by half of it, so that one is always open; calling the result ends it and returns how many snapshots it took.
private func slowReader(_ data: String, holdSeconds: Double) throws -> () -> Int {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", """
        import sqlite3, sys, threading, time
        db, hold = sys.argv[1], float(sys.argv[2])
        stop, taken = threading.Event(), [0, 0]
        def read(k):
            time.sleep(k * hold / 2)
            c = sqlite3.connect(db, isolation_level=None, timeout=60)
            while not stop.is_set():
                c.execute("BEGIN")
                c.execute("SELECT count(*) FROM streams").fetchall()
                time.sleep(hold)
                c.execute("COMMIT")
                taken[k] += 1
        threads = [threading.Thread(target=read, args=(k,)) for k in range(2)]
        for t in threads: t.start()
        sys.stdin.read()
        stop.set()
        for t in threads: t.join()
        print(sum(taken))
        """, data + "/logsift.db", String(holdSeconds)]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    return {
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
