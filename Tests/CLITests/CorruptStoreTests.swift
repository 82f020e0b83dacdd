import Foundation
import Testing

/// F9: damaged store files (no process has them open), with the real binary. `check` exits 1 and says what is
/// wrong; `search` answers completely and correctly or exits 1 with a clear error, never crashes and never
/// prints altered text. A damaged WAL tail is SQLite's expected case: frames after a bad checksum or a cut
/// are ignored, and the store opens with the transactions committed before them; tail positions are part of
/// those transactions, so `tail` resumes exactly there.
@Suite(.serialized) struct CorruptStoreTests {
    /// 3 files x 3 days x 1,000 numbered lines (`seq=0..<9000`) with random words, ingested into `root/base`.
    struct Store {
        let root: String
        var base: String { root + "/base" }
        /// Every stored event by message, and as `search --json` prints it (labels, fields and all).
        var messages: [String: Int] = [:]
        var events: [String: Int] = [:]

        init() throws {
            root = CLIRunner.tempDir()
            var rng = SplitMix(state: 0xF9F9)
            var seq = 0
            var files: [String] = []
            for f in 0..<3 {
                var s = ""
                for d in 0..<3 {
                    for i in 0..<1000 {
                        s += "2026-11-\(17 + d)T10:\(String(format: "%02d:%02d", i / 60 % 60, i % 60))Z INFO seq=\(seq) user=\(seq % 97) \(String(rng.next(), radix: 36))\n"
                        seq += 1
                    }
                }
                files.append(root + "/app\(f).log")
                try s.write(toFile: files.last!, atomically: true, encoding: .utf8)
            }
            let out = try CLIRunner.run(["ingest", "--data", root + "/base"] + files)
            try #require(out.status == 0, "\(out.stderr)")
            let r = try Self.messages(root + "/base")
            (messages, events) = (r.counts, r.events)
            try #require(messages.count == 9000 && events.count == 9000)
        }

        /// A fresh copy of `from` (default: the base store) at `root/name`.
        func copy(_ name: String, from: String? = nil) throws -> String {
            let to = root + "/" + name
            try? FileManager.default.removeItem(atPath: to)
            try FileManager.default.copyItem(atPath: from ?? base, toPath: to)
            return to
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        /// What `search --json` prints for every line (by message, and whole), its exit status and stderr.
        static func messages(_ data: String) throws -> (counts: [String: Int], events: [String: Int], status: Int32, stderr: String) {
            let out = try CLIRunner.run(["search", "--data", data, "--json", "--limit", "1000000", "seq"])
            var counts: [String: Int] = [:], events: [String: Int] = [:]
            for line in out.stdout.split(separator: "\n") {
                let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                counts[o?["message"] as? String ?? "<no message>", default: 0] += 1
                events[String(line), default: 0] += 1
            }
            return (counts, events, out.status, out.stderr)
        }
    }

    /// The answer of `search` on a damaged store: complete and correct, or an error exit with a message.
    /// Never a crash (a trap or signal), never text that was not stored.
    func expectCorrectOrClearError(_ data: String, _ store: Store, _ what: String) throws -> Bool {
        let r = try Store.messages(data)
        #expect(r.status == 0 || r.status == 1, "\(what): search exit \(r.status) (a crash?) \(r.stderr)")
        let altered = r.events.keys.filter { store.events[$0] == nil }
        #expect(altered.isEmpty, "\(what): search printed events that were never stored: \(altered.prefix(3))")
        if r.status == 0 {
            #expect(r.events == store.events, "\(what): search answered, but not with every stored event (\(r.events.count) of \(store.events.count))")
            return true
        }
        #expect(r.stderr.contains("logsift: error:") && r.stderr.contains("damaged"), "\(what): \(r.stderr)")
        return false
    }

    @Test func aTruncatedDatabaseFileIsReportedAndNeverAnsweredWrongly() throws {
        let store = try Store()
        defer { store.remove() }
        let size = (try FileManager.default.attributesOfItem(atPath: store.base + "/logsift.db")[.size] as! NSNumber).intValue
        let cuts: [(String, Int)] = [("mid-page", size / 2 + 1234), ("page boundary", size / 2 / 4096 * 4096), ("last page gone", size - 4096),
                                     ("page 1 only", 4096), ("header only", 100), ("empty", 0)]
        for (name, cut) in cuts {
            let data = try store.copy("cut")
            #expect(truncate(data + "/logsift.db", off_t(cut)) == 0)
            let check = try CLIRunner.run(["check", "--data", data])
            #expect(check.status == 1, "\(name): check exit \(check.status): \(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("problem: "), "\(name): \(check.stdout)\(check.stderr)")
            _ = try expectCorrectOrClearError(data, store, "truncated at \(cut) (\(name))")
            // Nothing was written to the damaged file by reading it: it did not grow a schema or pages.
            let after = (try FileManager.default.attributesOfItem(atPath: data + "/logsift.db")[.size] as! NSNumber).intValue
            #expect(after == cut, "\(name): reading changed the file from \(cut) to \(after) bytes")
        }
        let empty = try store.copy("cut")
        #expect(truncate(empty + "/logsift.db", 0) == 0)
        let check = try CLIRunner.run(["check", "--data", empty])
        #expect(check.stdout.contains("holds no logsift store (it is empty or was truncated"))
        #expect(check.stdout.contains("corrupt: "))
    }

    /// A WAL cut short or with a flipped byte (a crash while the OS was writing it, a bad disk): SQLite drops
    /// the frames from the damage on, and the store is the one of the last transaction committed before them.
    @Test func aTruncatedOrGarbledWALLeavesTheCommittedPrefixAndTailResumesThere() throws {
        var store = try Store()
        defer { store.remove() }
        // More lines arrive through `tail`, committed in many small transactions that stay in the WAL: the
        // process is killed (no checkpoint on close), and the files are copied before anything opens them.
        let live = store.root + "/live.log", data = try store.copy("walbase")
        _ = FileManager.default.createFile(atPath: live, contents: nil)
        let tail = TailProcess(data: data, args: [live])
        try tail.start()
        var rng = SplitMix(state: 0xA1)
        var tailLines: [String] = []
        for chunk in 0..<12 {
            var s = ""
            for i in 0..<250 {
                let seq = 100_000 + chunk * 250 + i
                let line = "2026-11-20T10:00:\(String(format: "%02d", i % 60))Z INFO seq=\(seq) tailed \(String(rng.next(), radix: 36))"
                tailLines.append(line)
                s += line + "\n"
            }
            let h = FileHandle(forWritingAtPath: live)!
            h.seekToEndOfFile()
            h.write(s.data(using: .utf8)!)
            try h.close()
            usleep(120_000)
        }
        #expect(waitCaughtUp(path: live, data: data, whole: true, timeout: 30))
        tail.kill9()
        let pristine = try store.copy("walpristine", from: data)
        let wal = try #require(FileManager.default.contents(atPath: pristine + "/logsift.db-wal"))
        func be32(_ at: Int) -> Int { wal[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let pageSize = be32(8), frame = 24 + pageSize
        let frames = (wal.count - 32) / frame
        let commits = (0..<frames).filter { be32(32 + $0 * frame + 4) != 0 }
        try #require(commits.count >= 4, "only \(commits.count) commits in the WAL (\(frames) frames)")

        for line in tailLines { store.messages[line] = 1 }
        let variants: [(String, (String) throws -> Void)] = [
            ("cut inside the next-to-last frame", { _ = truncate($0, off_t(32 + (frames - 2) * frame + 100)) }),
            ("cut at a frame boundary half way", { _ = truncate($0, off_t(32 + frames / 2 * frame)) }),
            ("header only", { _ = truncate($0, 32) }),
            ("emptied", { _ = truncate($0, 0) }),
            ("a flipped byte in a frame half way", { try flip($0, at: 32 + frames / 2 * frame + 24 + 1000) }),
            ("a flipped byte in the WAL header", { try flip($0, at: 12) }),
        ]
        var figures: [String] = []
        for (name, damage) in variants {
            let d = try store.copy("waldamaged", from: pristine)
            try damage(d + "/logsift.db-wal")
            let check = try CLIRunner.run(["check", "--data", d])
            #expect(check.status == 0, "\(name): \(check.stdout)\(check.stderr)")
            // The base lines all there, once; of the tailed lines a prefix (whole transactions, in order).
            let r = try Store.messages(d)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let kept = tailLines.prefix { r.counts[$0] == 1 }.count
            var expected = store.messages
            for line in tailLines[kept...] { expected[line] = nil }
            #expect(r.counts == expected, "\(name): not the base plus a prefix of the tailed lines")
            // The positions committed with those lines: `tail --once` reads exactly the rest.
            let resumed = try CLIRunner.run(["tail", "--data", d, "--once", live])
            #expect(resumed.status == 0, "\(name): \(resumed.stderr)")
            #expect(try Store.messages(d).counts == store.messages, "\(name): after tail --once not every line exactly once")
            figures.append("\(name): \(kept)")
        }
        print("WAL damage (\(frames) frames, \(commits.count) commits), tailed lines of 3000 kept: " + figures.joined(separator: "; "))
    }

    @Test func flippedBytesInDatabasePagesAreReportedAndNeverServeAlteredText() throws {
        let store = try Store()
        defer { store.remove() }
        func pages(_ sql: String) throws -> [Int] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = ["-readonly", store.base + "/logsift.db", sql]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return text.split(separator: "\n").compactMap { Int($0) }
        }
        // Inside a block's compressed text: the zstd frame checksum catches it.
        let blockPage = try #require(try pages("SELECT pageno FROM dbstat WHERE name = 'blocks_20261118' AND pagetype = 'overflow' ORDER BY pageno").dropFirst(3).first)
        // The page type byte of a b-tree page of the full-text index and of the block table: SQLite's structure.
        let ftsPage = try #require(try pages("SELECT pageno FROM dbstat WHERE name = 'terms_20261119_data' AND pagetype = 'leaf' ORDER BY pageno").first)
        let rowPage = try #require(try pages("SELECT pageno FROM dbstat WHERE name = 'blocks_20261117' AND pagetype = 'leaf' ORDER BY pageno").first)
        let targeted: [(String, Int, String)] = [
            ("block text", (blockPage - 1) * 4096 + 2000, "corrupt block"),
            ("full-text index page header", (ftsPage - 1) * 4096, "problem: "),
            ("block table page header", (rowPage - 1) * 4096, "problem: "),
        ]
        for (name, offset, says) in targeted {
            let d = try store.copy("flip")
            try flip(d + "/logsift.db", at: offset)
            let check = try CLIRunner.run(["check", "--data", d])
            #expect(check.status == 1, "\(name): \(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains(says), "\(name): \(check.stdout)")
            _ = try expectCorrectOrClearError(d, store, name)
        }

        // Single-bit flips anywhere past the file header (seeded; `LOGSIFT_FLIP_TRIALS` runs more). SQLite has no
        // page checksums: a flip in free space changes nothing, one in a b-tree is found by the integrity check,
        // one in a block by its zstd checksum. The bar: no crash, no altered event (text, labels, fields), and a
        // store that `check` passes answers completely. (A flip in a full-text index leaf can make a search miss
        // blocks, 3 in 300 trials of a larger store: `check` reports those.)
        let trials = Int(ProcessInfo.processInfo.environment["LOGSIFT_FLIP_TRIALS"] ?? "") ?? 12
        let size = (try FileManager.default.attributesOfItem(atPath: store.base + "/logsift.db")[.size] as! NSNumber).intValue
        var rng = SplitMix(state: 0xB17F)
        var outcomes: [String: Int] = [:]
        for _ in 0..<trials {
            let d = try store.copy("flip")
            let offset = 100 + rng.below(size - 100)
            try flip(d + "/logsift.db", at: offset, mask: UInt8(1) << UInt8(rng.below(8)))
            let check = try CLIRunner.run(["check", "--data", d])
            #expect(check.status == 0 || check.status == 1, "flip at \(offset): check exit \(check.status) (a crash?) \(check.stderr)")
            let r = try Store.messages(d)
            #expect(r.status == 0 || r.status == 1, "flip at \(offset): search exit \(r.status) (a crash?) \(r.stderr)")
            let altered = r.events.keys.filter { store.events[$0] == nil }
            #expect(altered.isEmpty, "flip at \(offset): altered events served: \(altered.prefix(2))")
            let complete = r.status == 0 && r.events == store.events
            if check.status == 0 { #expect(complete, "flip at \(offset) (page \(offset / 4096 + 1)): check passed but search was incomplete") }
            let key = "check \(check.status == 0 ? "ok" : "reports"), search \(complete ? "complete" : r.status == 0 ? "partial" : "error")"
            outcomes[key, default: 0] += 1
        }
        print("flipped bits in logsift.db, \(trials) trials: " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
    }
}

/// Flips bits of one byte of a file in place.
func flip(_ path: String, at offset: Int, mask: UInt8 = 0x5A) throws {
    let h = try #require(FileHandle(forUpdatingAtPath: path))
    defer { try? h.close() }
    try h.seek(toOffset: UInt64(offset))
    let old = try #require(try h.read(upToCount: 1)?.first)
    try h.seek(toOffset: UInt64(offset))
    try h.write(contentsOf: [old ^ mask])
}
