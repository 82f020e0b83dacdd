import Foundation
import Testing

/// Rounds of the kill -9 tests: `LOGSIFT_KILL_ROUNDS` (default 20, about 15 s each in CI).
private let killRounds = Int(ProcessInfo.processInfo.environment["LOGSIFT_KILL_ROUNDS"] ?? "").map { max(1, $0) } ?? 20

/// How many times each stored line `seq=N` (0 ≤ N < `count`) was found: the store's lines printed by
/// `search --json` into a file and scanned there (a million lines of JSON do not fit comfortably in a String).
func storedSequenceCounts(_ data: String, count: Int) throws -> (counts: [UInt8], outside: Int) {
    let file = CLIRunner.tempDir() + "/search.json"
    defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
    _ = FileManager.default.createFile(atPath: file, contents: nil)
    let out = FileHandle(forWritingAtPath: file)!
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
    p.arguments = ["search", "--data", data, "--json", "--limit", "100000000", "seq"]
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try out.close()
    #expect(p.terminationStatus == 0)
    var counts = [UInt8](repeating: 0, count: count)
    var outside = 0
    let input = FileHandle(forReadingAtPath: file)!
    defer { try? input.close() }
    let key = Array("seq=".utf8)
    var carry: [UInt8] = []
    while true {
        let chunk = input.readData(ofLength: 1 << 20)
        if chunk.isEmpty { break }
        carry += chunk
        guard let lastNewline = carry.lastIndex(of: 0x0A) else { continue }
        var i = 0
        // One `seq=` per line: the first one (in the message).
        while i <= lastNewline {
            let end = carry[i...lastNewline].firstIndex(of: 0x0A)!
            var k = i
            while k + key.count <= end, !carry[k..<(k + key.count)].elementsEqual(key) { k += 1 }
            if k + key.count <= end {
                var n = 0, j = k + key.count
                while j < end, carry[j] >= 0x30, carry[j] <= 0x39 { n = n * 10 + Int(carry[j] - 0x30); j += 1 }
                if n < count { counts[n] = counts[n] &+ 1 } else { outside += 1 }
            }
            i = end + 1
        }
        carry.removeFirst(lastNewline + 1)
    }
    return (counts, outside)
}

/// F1 for `serve`: concurrent HTTP senders, the server killed with -9 at random moments, restarted on the same
/// data directory, many times. A request is acknowledged (2xx) only after the transaction holding its lines
/// committed, so every acknowledged line is stored exactly once; a request cut off by the kill (no answer)
/// is stored whole or not at all (one request, one group-commit transaction); nothing is stored twice (the
/// senders never retry); the store passes `check` (integrity, blocks, full-text index).
@Suite(.serialized) struct ServeKillTests {
    static let script = #"""
    import http.client, os, random, signal, subprocess, sys, threading, time
    binary, data, rounds, seed, senders = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    lock = threading.Lock()
    next_seq = [0]
    records = []  # (kind, first seq, lines): A acknowledged, U no answer (cut off by the kill), R refused (4xx/5xx)

    def start():
        p = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = p.stdout.readline().decode()
        if "listening on" not in line:
            p.kill()
            sys.exit("serve did not start after a kill: " + repr(line))
        return p, int(line.strip().rsplit(":", 1)[1])

    def send(port, stop, r, s):
        srng = random.Random(seed * 1000003 + r * 101 + s)
        while not stop.is_set():
            n = 1 + srng.randrange(200)
            with lock:
                first = next_seq[0]
                next_seq[0] += n
            body = "".join(f"2026-11-20T10:{r % 60:02d}:00Z INFO seq={first + i} round={r} sender={s} {srng.getrandbits(64):016x}\n" for i in range(n)).encode()
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.request("POST", "/api/v1/logs?deployment=killtest", body=body, headers={"Content-Type": "text/plain"})
                status = c.getresponse().status
                c.close()
            except Exception:
                with lock: records.append(("U", first, n))
                return
            with lock: records.append(("A" if 200 <= status < 300 else "R", first, n))

    t0 = time.time()
    for r in range(rounds):
        p, port = start()
        stop = threading.Event()
        threads = [threading.Thread(target=send, args=(port, stop, r, s)) for s in range(senders)]
        for t in threads: t.start()
        time.sleep(0.05 + rng.random() * 0.6)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        stop.set()
        for t in threads: t.join()
    print(f"{next_seq[0]} {time.time() - t0:.1f}")
    for k, first, n in records: print(k, first, n)
    """#

    @Test func acknowledgedLinesAreStoredOnceThroughRepeatedKill9() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = root + "/data"
        try Self.script.write(toFile: root + "/kill.py", atomically: true, encoding: .utf8)
        let started = Date()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root + "/kill.py", CLIRunner.binary, data, String(killRounds), "20261120", "4"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(errText)")
        var lines = text.split(separator: "\n")
        let head = lines.removeFirst().split(separator: " ")
        let sent = Int(head[0])!
        var requests: [(kind: Character, first: Int, count: Int)] = []
        for l in lines {
            let f = l.split(separator: " ")
            requests.append((f[0].first!, Int(f[1])!, Int(f[2])!))
        }
        #expect(requests.reduce(0) { $0 + $1.count } == sent)

        let (counts, outside) = try storedSequenceCounts(data, count: sent)
        #expect(outside == 0)
        var acked = 0, ackedStoredOnce = 0, unanswered = 0, unansweredStored = 0, refused = 0, duplicated = 0
        var torn: [Int] = []
        for r in requests {
            let c = counts[r.first..<(r.first + r.count)]
            duplicated += c.filter { $0 > 1 }.count
            let stored = c.filter { $0 > 0 }.count
            switch r.kind {
            case "A":
                acked += r.count
                ackedStoredOnce += c.filter { $0 == 1 }.count
            case "U":
                unanswered += r.count
                unansweredStored += stored
                if stored != 0 && stored != r.count { torn.append(r.first) }
            default:
                refused += r.count
                #expect(stored == 0, "refused request at seq \(r.first) was stored")
            }
        }
        #expect(acked > 0)
        #expect(ackedStoredOnce == acked, "\(acked - ackedStoredOnce) acknowledged lines not stored exactly once")
        #expect(duplicated == 0)
        #expect(torn.isEmpty, "requests stored in part: \(torn.prefix(10))")
        let check = try CLIRunner.run(["check", "--data", data])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        print(String(format: "serve kill -9: %d rounds, %d lines sent, %d acknowledged (all stored once), %d unanswered of which %d stored (whole requests), %d refused, 0 duplicates, check ok; %.0f s",
                     killRounds, sent, acked, unanswered, unansweredStored, refused, Date().timeIntervalSince(started)))
    }
}

/// F1 for `tail`, focused: lines appended without pause (and rotated by rename every 64 KiB) while `tail` is
/// killed with -9 and restarted, many times; afterwards every line is stored exactly once.
@Suite(.serialized) struct TailKillTests {
    @Test func everyLineIsStoredOnceThroughRepeatedKill9WhileAppending() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dir = root + "/logs", data = root + "/data", path = dir + "/app.log"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let started = Date()
        var rng = SplitMix(state: 0xC0FF_EE11)
        var seq = 0, size = 0, rotations = 0
        func append(_ n: Int) throws {
            var s = ""
            for _ in 0..<n {
                s += "2026-11-21T08:00:00Z INFO seq=\(seq) kill-test \(String(rng.next(), radix: 16))\n"
                seq += 1
            }
            let h = FileHandle(forWritingAtPath: path)!
            h.seekToEndOfFile()
            h.write(s.data(using: .utf8)!)
            try h.close()
            size += s.utf8.count
            if size >= 64 << 10 {
                rotations += 1
                try FileManager.default.moveItem(atPath: path, toPath: path + ".\(rotations)")
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                size = 0
            }
        }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let tail = TailProcess(data: data, args: [path])
        // The first file is committed before the first kill (a file never checkpointed and rotated away while
        // logsift is down is invisible to any tailer).
        try tail.start()
        try append(1)
        #expect(waitCaughtUp(path: path, data: data, whole: true, timeout: 30))
        for _ in 0..<killRounds {
            // Appends while it runs, for 50-450 ms...
            for _ in 0..<(2 + rng.below(16)) {
                try append(1 + rng.below(150))
                usleep(25_000)
            }
            tail.kill9()
            // ... and sometimes while it is down.
            if rng.below(2) == 0 { try append(1 + rng.below(150)) }
            try tail.start()
        }
        #expect(waitCaughtUp(path: path, data: data, whole: true, timeout: 60))
        usleep(300_000)
        tail.stop()
        let drain = try CLIRunner.run(["tail", "--data", data, "--once", path])
        #expect(drain.status == 0, "\(drain.stderr)")
        let (counts, outside) = try storedSequenceCounts(data, count: seq)
        let missing = counts.indices.filter { counts[$0] == 0 }
        let dups = counts.indices.filter { counts[$0] > 1 }
        #expect(outside == 0)
        #expect(missing.isEmpty, "\(missing.count) of \(seq) lines missing, first \(missing.prefix(10))")
        #expect(dups.isEmpty, "\(dups.count) lines stored more than once, first \(dups.prefix(10))")
        let check = try CLIRunner.run(["check", "--data", data])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        print(String(format: "tail kill -9 while appending: %d kills, %d lines, %d rotations, missing %d, duplicated %d; %.0f s",
                     killRounds, seq, rotations, missing.count, dups.count, Date().timeIntervalSince(started)))
    }
}
