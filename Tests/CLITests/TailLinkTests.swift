import Foundation
import Testing

/// Symlinks and huge lines under a real `logsift tail`: kubelet's layout (F7), links planted to read secrets
/// and `..` in globs (B12), a 10 MB line and 100 MB without a newline (B2).
@Suite(.serialized) struct TailLinkTests {
    static let containerID = String(repeating: "ab12", count: 16)

    func write(_ path: String, _ text: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = FileHandle(forWritingAtPath: path)!
        h.seekToEndOfFile()
        h.write(text.data(using: .utf8)!)
        try? h.close()
    }

    func cri(_ seq: Int) -> String { "2026-11-20T10:00:00.\(String(format: "%09d", seq))Z stdout F INFO serving seq=\(seq)\n" }

    /// F7: /var/log/containers/<pod>_<ns>_<container>-<id>.log links to /var/log/pods/<ns>_<pod>_<uid>/<container>/0.log,
    /// which kubelet rotates by renaming it to 0.log.<time> and creating a new 0.log. Positions follow the
    /// real files through rotations while running, a kill -9, and a rotation while stopped; every line is
    /// stored once, labelled from the link's name.
    @Test func kubeletLinksAreFollowedThroughRotationsAndKills() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pods = root + "/log/pods/shop_web-7d4b9c6f5-x2k4p_0b3c/web", containers = root + "/log/containers", data = root + "/data"
        try FileManager.default.createDirectory(atPath: pods, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: containers, withIntermediateDirectories: true)
        let real = pods + "/0.log"
        _ = FileManager.default.createFile(atPath: real, contents: nil)
        try FileManager.default.createSymbolicLink(atPath: containers + "/web-7d4b9c6f5-x2k4p_shop_web-\(Self.containerID).log",
                                                   withDestinationPath: "../pods/shop_web-7d4b9c6f5-x2k4p_0b3c/web/0.log")
        let tail = TailProcess(data: data, args: [containers + "/*.log"])
        try tail.start()
        var seq = 0
        func burst(_ n: Int) { var s = ""; for _ in 0..<n { s += cri(seq); seq += 1 }; write(real, s) }
        burst(500)
        #expect(waitCaughtUp(path: real, data: data, timeout: 30))
        // Rotation while running.
        burst(200)
        try FileManager.default.moveItem(atPath: real, toPath: real + ".20261120-100001")
        burst(300)
        #expect(waitCaughtUp(path: real, data: data, timeout: 30))
        burst(100)
        tail.kill9()
        // While stopped: more lines, then a rotation, then lines in the new file.
        burst(150)
        try FileManager.default.moveItem(atPath: real, toPath: real + ".20261120-100002")
        burst(250)
        try tail.start()
        #expect(waitCaughtUp(path: real, data: data, whole: true, timeout: 30))
        usleep(300_000)
        tail.stop()
        let stored = try storedSequences(data)
        #expect(stored.count == seq, "stored \(stored.count) of \(seq)")
        #expect(stored.values.allSatisfy { $0 == 1 })
        let labelled = try CLIRunner.run(["search", "--data", data, "--count", "namespace:shop and pod:web-7d4b9c6f5-x2k4p and container:web"])
        #expect(Int(labelled.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == seq)
    }

    /// B12: a link planted in a globbed directory that points at a secret, and a directory link under a `*`,
    /// are refused with a warning naming where they lead; `..` after other components is refused with exit 2;
    /// `--allow-root` admits a directory on purpose; a file named without wildcards is followed.
    @Test func linksOutOfTheGlobsDirectoriesAreRefused() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let logs = root + "/logs", secrets = root + "/secrets", data = root + "/data"
        for d in [logs + "/app", secrets] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        write(secrets + "/shadow", "root:$6$saltsalt$SECRETHASH:19000:0:99999:7:::\n")
        write(secrets + "/token", "SECRETTOKEN\n")
        write(logs + "/app/a.log", "2026-11-20T10:00:00Z INFO ordinary line seq=1\n")
        try FileManager.default.createSymbolicLink(atPath: logs + "/app/b.log", withDestinationPath: secrets + "/shadow")
        try FileManager.default.createSymbolicLink(atPath: logs + "/evil", withDestinationPath: secrets)
        try FileManager.default.createSymbolicLink(atPath: secrets + "/x.log", withDestinationPath: secrets + "/shadow")

        let out = try CLIRunner.run(["tail", "--data", data, "--once", logs + "/*/*.log", logs + "/*/token"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("not reading \(logs)/app/b.log: it resolves to \(secrets)/shadow"), "\(out.stderr)")
        #expect(out.stderr.contains("not reading \(logs)/evil/token: it resolves to \(secrets)/token"), "\(out.stderr)")
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "SECRETTOKEN"]).stdout.hasPrefix("0"))
        #expect(out.stderr.contains("--allow-root"))
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "SECRETHASH"]).stdout.hasPrefix("0"))
        #expect(try storedSequences(data) == [1: 1])

        let climb = try CLIRunner.run(["tail", "--data", data, "--once", logs + "/app/../../secrets/*"])
        #expect(climb.status == 2)
        #expect(climb.stderr.contains("'..'"))
        let climbAfterWildcard = try CLIRunner.run(["tail", "--data", data, "--once", logs + "/*/../../secrets/shadow"])
        #expect(climbAfterWildcard.status == 2)
        #expect(try CLIRunner.run(["search", "--data", data, "--count", "SECRETHASH"]).stdout.hasPrefix("0"))

        // Leading '..' in a relative pattern is an ordinary path.
        let relative = Process()
        relative.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        relative.currentDirectoryURL = URL(fileURLWithPath: logs + "/app")
        relative.arguments = ["tail", "--data", root + "/data-relative", "--once", "../app/*.log"]
        relative.standardError = FileHandle.nullDevice
        try relative.run()
        relative.waitUntilExit()
        #expect(relative.terminationStatus == 0)
        #expect(try storedSequences(root + "/data-relative") == [1: 1])

        // On purpose: an allowed root, or the file named outright.
        let allowed = try CLIRunner.run(["tail", "--data", root + "/data-allowed", "--once", "--allow-root", secrets, logs + "/app/*.log"])
        #expect(allowed.status == 0)
        #expect(try CLIRunner.run(["search", "--data", root + "/data-allowed", "--count", "SECRETHASH"]).stdout.hasPrefix("1"))
        let named = try CLIRunner.run(["tail", "--data", root + "/data-named", "--once", logs + "/app/b.log"])
        #expect(named.status == 0 && !named.stderr.contains("not reading"))
        #expect(try CLIRunner.run(["search", "--data", root + "/data-named", "--count", "SECRETHASH"]).stdout.hasPrefix("1"))
    }

    /// B2: a 10 MB line and then 100 MB without a newline, between ordinary lines, while tailing: each long
    /// line is stored cut at the 1 MiB limit with a marker and counted, the memory stays bounded by the line
    /// limit (not the line), and the lines after it are read.
    @Test func hugeLinesAreCutAndTailingContinues() throws {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = root + "/big.log", data = root + "/data"
        write(log, "2026-11-20T10:00:00Z INFO before seq=1\n")
        let tail = TailProcess(data: data, args: [log])
        try tail.start()
        #expect(waitCaughtUp(path: log, data: data, timeout: 30))
        let h = FileHandle(forWritingAtPath: log)!
        h.seekToEndOfFile()
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        h.write("2026-11-20T10:00:01Z WARN ten-megabytes seq=2 ".data(using: .utf8)!)
        for _ in 0..<10 { h.write(chunk) }
        h.write("\n2026-11-20T10:00:02Z WARN hundred-megabytes-no-newline seq=3 ".data(using: .utf8)!)
        for _ in 0..<100 { h.write(chunk) }
        // The tail reads the unterminated run as it arrives; then the line ends and ordinary lines follow.
        usleep(1_000_000)
        h.write("\n2026-11-20T10:00:03Z INFO after seq=4\n2026-11-20T10:00:04Z INFO after seq=5\n".data(using: .utf8)!)
        try h.close()
        #expect(waitCaughtUp(path: log, data: data, whole: true, timeout: 60))
        let hwm = tail.peakRSSKiB()
        tail.stop()
        #expect(try storedSequences(data) == [1: 1, 2: 1, 3: 1, 4: 1, 5: 1])
        let cut = try CLIRunner.run(["search", "--data", data, "--count", "truncated:true"])
        #expect(cut.stdout.hasPrefix("2"), "\(cut.stdout)")
        let stats = try CLIRunner.run(["stats", "--data", data]).stdout
        #expect(stats.split(separator: "\n").contains { $0.contains("truncated") && $0.hasSuffix(" 2") }, "\(stats)")
        // The debug binary's own footprint plus a few line-sized buffers; the 100 MB line never is in memory.
        #expect(hwm > 0 && hwm < 160 * 1024, "peak RSS \(hwm) KiB")
        print("huge lines: 10 MB and 100 MB lines cut to 1 MiB, tail peak RSS \(hwm / 1024) MiB")
    }
}
